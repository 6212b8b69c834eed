import { useCombobox } from 'downshift';
import { useMemo, useState } from 'react';
import { indexOptions, rankOptions } from './combo-rank';

export interface ComboOption {
  code: string;
  label: string;
  /** Shown before the label, e.g. the parent topic. */
  group?: string;
  /** More words that should find this option (folded like the label). */
  keywords?: readonly string[];
  /** How often it was chosen here: among equally good matches the most used comes first. */
  uses?: number;
}

interface Props {
  id: string;
  options: readonly ComboOption[];
  value: string;
  onChange(code: string): void;
  onBlur?(): void;
  invalid?: boolean;
  describedBy?: string;
  placeholder?: string;
  autoFocus?: boolean;
  inputRef?: React.Ref<HTMLInputElement>;
  /**
   * Shows each option's group as a heading above its run of options (organisations by kind)
   * instead of before every label (topics by parent).
   */
  groupHeadings?: boolean;
}

/** Keys that move the highlight in an open list. */
const NAVIGATION_KEYS = ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End'];

/**
 * A type-to-filter list (downshift's accessible combobox). Matching folds Turkish the same way
 * search does, so "cop" finds "Çöp toplanmadı" and "yildirim" finds "Yıldırım"; matches are
 * ranked as agents mean them (combo-rank.ts).
 *
 * Keyboard: typing filters, arrows move, Enter picks, Tab picks what typing or the arrows found
 * (tabbing through never changes a value; emptied text clears it), Esc closes the list.
 *
 * The text and every pick are handled in the input's own event handlers, synchronously, and the
 * text is controlled from here. Downshift reports changes from an effect, which a fast typist
 * (or a form cleared by Alt+Y) can outrun by a keystroke; nothing here waits for it.
 */
export function Combobox(props: Props) {
  const { options, value, onChange } = props;
  const selected = options.find((o) => o.code === value) ?? null;
  // What the user typed since the list opened (null: nothing; the input shows the selection and
  // the list every option), and whether arrow keys moved the highlight.
  const [filter, setFilter] = useState<string | null>(null);
  const [navigated, setNavigated] = useState(false);

  const indexed = useMemo(() => indexOptions(options), [options]);
  const items = useMemo(
    () => (filter === null || filter.trim() === '' ? options : rankOptions(indexed, filter)),
    [filter, indexed, options],
  );

  const display = (o: ComboOption | null) =>
    o ? (o.group && !props.groupHeadings ? `${o.group} › ${o.label}` : o.label) : '';

  /** Picks an option (or none) and shows it: the typed text goes. */
  function pick(option: ComboOption | null) {
    setFilter(null);
    setNavigated(false);
    if ((option?.code ?? '') !== value) onChange(option?.code ?? '');
  }

  const combo = useCombobox<ComboOption>({
    items: items as ComboOption[],
    selectedItem: selected,
    inputValue: filter ?? display(selected),
    itemToString: display,
    itemToKey: (o) => o?.code,
    defaultHighlightedIndex: 0,
    inputId: props.id,
    onIsOpenChange: ({ isOpen }) => {
      if (!isOpen) {
        setFilter(null);
        setNavigated(false);
      }
    },
    // Picks happen in the handlers below; downshift only opens, closes and highlights.
    stateReducer: (state, { type, changes }) => {
      const types = useCombobox.stateChangeTypes;
      if (
        type === types.InputBlur ||
        type === types.InputKeyDownEnter ||
        type === types.ItemClick ||
        type === types.InputKeyDownEscape
      ) {
        return { ...changes, selectedItem: state.selectedItem };
      }
      return changes;
    },
  });

  /** Leaving the field with the list open: what typing or the arrows found, if anything. */
  function pickOnLeave() {
    if (!combo.isOpen || (filter === null && !navigated)) return;
    if (filter !== null && filter.trim() === '') {
      pick(null);
      return;
    }
    const option = items[combo.highlightedIndex];
    if (option) pick(option);
    else setFilter(null);
  }

  return (
    <div className="combobox">
      <input
        {...combo.getInputProps({
          ref: props.inputRef,
          onBlur: () => {
            pickOnLeave();
            props.onBlur?.();
          },
          onFocus: () => {
            setFilter(null);
            setNavigated(false);
            if (!combo.isOpen) combo.openMenu();
          },
          onChange: (e) => {
            setFilter((e.target as HTMLInputElement).value);
            setNavigated(false);
          },
          onKeyDown: (e) => {
            if (e.key === 'Escape') {
              // With the list closed, Esc belongs to whatever is around (e.g. closes a dialog).
              if (!combo.isOpen) {
                (e.nativeEvent as { preventDownshiftDefault?: boolean }).preventDownshiftDefault =
                  true;
              }
              setFilter(null);
              setNavigated(false);
            } else if (e.key === 'Enter' && combo.isOpen) {
              const option = items[combo.highlightedIndex];
              if (option) pick(option);
            } else if (NAVIGATION_KEYS.includes(e.key)) {
              setNavigated(true);
            }
          },
        })}
        placeholder={props.placeholder}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.describedBy}
        autoFocus={props.autoFocus}
        autoComplete="off"
        spellCheck={false}
      />
      <ul {...combo.getMenuProps()} className={combo.isOpen ? 'combo-menu open' : 'combo-menu'}>
        {combo.isOpen
          ? items.flatMap((item, index) => {
              const heading =
                props.groupHeadings && item.group && item.group !== items[index - 1]?.group ? (
                  <li
                    key={`group:${item.group}:${index}`}
                    className="combo-heading"
                    role="presentation"
                  >
                    {item.group}
                  </li>
                ) : null;
              const option = (
                <li
                  key={item.code}
                  {...combo.getItemProps({ item, index, onClick: () => pick(item) })}
                  className={[
                    'combo-item',
                    combo.highlightedIndex === index ? 'highlighted' : '',
                    selected?.code === item.code ? 'selected' : '',
                  ].join(' ')}
                >
                  {item.group && !props.groupHeadings ? (
                    <span className="combo-group">{item.group} › </span>
                  ) : null}
                  {item.label}
                </li>
              );
              return heading ? [heading, option] : [option];
            })
          : null}
      </ul>
    </div>
  );
}
