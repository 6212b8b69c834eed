import { useCombobox } from 'downshift';
import { useMemo, useState } from 'react';
import { foldTurkish } from '../../src/domain/text';

export interface ComboOption {
  code: string;
  label: string;
  /** Shown before the label, e.g. the parent topic. */
  group?: string;
  /** More words that should find this option (folded like the label). */
  keywords?: readonly string[];
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
}

/**
 * A type-to-filter list (downshift's accessible combobox). Matching folds Turkish the same way
 * search does, so "cop" finds "Çöp toplanmadı" and "yildirim" finds "Yıldırım".
 */
export function Combobox(props: Props) {
  const { options, value, onChange } = props;
  const selected = options.find((o) => o.code === value) ?? null;
  const [filter, setFilter] = useState<string | null>(null);

  const indexed = useMemo(
    () =>
      options.map((o) => ({
        option: o,
        text: foldTurkish([o.label, o.group ?? '', ...(o.keywords ?? [])].join(' ')),
      })),
    [options],
  );
  const items = useMemo(() => {
    const tokens = foldTurkish(filter ?? '')
      .split(/\s+/)
      .filter(Boolean);
    if (tokens.length === 0) return options;
    // Options whose own label matches come before those matched only by group or keyword.
    const rank = (x: (typeof indexed)[number]) => {
      const label = foldTurkish(x.option.label);
      return tokens.every((tok) => label.includes(tok))
        ? label.startsWith(tokens[0] ?? '')
          ? 0
          : 1
        : 2;
    };
    return indexed
      .filter((x) => tokens.every((tok) => x.text.includes(tok)))
      .map((x) => ({ x, r: rank(x) }))
      .sort((a, b) => a.r - b.r)
      .map(({ x }) => x.option);
  }, [filter, indexed, options]);

  const display = (o: ComboOption | null) =>
    o ? (o.group ? `${o.group} › ${o.label}` : o.label) : '';

  const combo = useCombobox<ComboOption>({
    items: items as ComboOption[],
    selectedItem: selected,
    itemToString: display,
    itemToKey: (o) => o?.code,
    defaultHighlightedIndex: 0,
    inputId: props.id,
    onInputValueChange: ({ inputValue, type }) => {
      if (type === useCombobox.stateChangeTypes.InputChange) setFilter(inputValue);
    },
    onSelectedItemChange: ({ selectedItem }) => {
      setFilter(null);
      onChange(selectedItem?.code ?? '');
    },
    onIsOpenChange: ({ isOpen }) => {
      if (!isOpen) setFilter(null);
    },
  });

  return (
    <div className="combobox">
      <input
        {...combo.getInputProps({
          ref: props.inputRef,
          onBlur: props.onBlur,
          onFocus: () => {
            if (!combo.isOpen) combo.openMenu();
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
          ? items.map((item, index) => (
              <li
                key={item.code}
                {...combo.getItemProps({ item, index })}
                className={[
                  'combo-item',
                  combo.highlightedIndex === index ? 'highlighted' : '',
                  selected?.code === item.code ? 'selected' : '',
                ].join(' ')}
              >
                {item.group ? <span className="combo-group">{item.group} › </span> : null}
                {item.label}
              </li>
            ))
          : null}
      </ul>
    </div>
  );
}
