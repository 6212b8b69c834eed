import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  indexOptions,
  rankOptions,
  type IndexedOption,
  type RankableOption,
} from '../../renderer/src/ui/combo-rank';

interface Topic {
  code: string;
  name: string;
  parentCode: string | null;
  keywords: string[];
}
const reference = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../resources/reference/bursa.json'), 'utf8'),
) as { topics: Topic[] };
/** The topic field's options as the form builds them: leaf topics with their group's name. */
function topicOptions(ref: { topics: Topic[] }) {
  const names = new Map(ref.topics.map((t) => [t.code, t.name]));
  return ref.topics
    .filter((t) => t.parentCode !== null)
    .map((t) => ({
      code: t.code,
      label: t.name,
      group: names.get(t.parentCode ?? '') ?? '',
      keywords: t.keywords,
    }))
    .sort((a, b) => a.group.localeCompare(b.group, 'tr') || a.label.localeCompare(b.label, 'tr'));
}
const topics = indexOptions(topicOptions(reference));
const first = (typed: string, index: readonly IndexedOption<RankableOption>[] = topics) =>
  rankOptions(index, typed)[0]?.code;

describe('topic search ranks topics as agents mean them', () => {
  it('"kaldırım" offers the broken pavement first, not the pavement occupation', () => {
    expect(first('kaldırım')).toBe('yol.kaldirim');
    expect(first('kaldirim')).toBe('yol.kaldirim');
    // More words say what is meant.
    expect(first('kaldırım işgal')).toBe('zabita.isgal');
  });

  it('puts topics named by the words before those found only through their group', () => {
    const ranked = rankOptions(topics, 'park');
    const named = ranked.findIndex((o) => !o.label.toLocaleLowerCase('tr').includes('park'));
    const lastNamed = ranked.findLastIndex((o) => o.label.toLocaleLowerCase('tr').includes('park'));
    expect(named === -1 || lastNamed < named).toBe(true);
  });

  it('keeps the known keyboard paths: "cop toplanmadi", "cukur"', () => {
    expect(first('cop toplanmadi')).toBe('temizlik.cop-toplanmadi');
    expect(first('cukur')).toMatch(/^yol\./);
  });

  it('among equally good matches, offers the topic used most on this desk first', () => {
    const twin = indexOptions([
      { code: 'a', label: 'Sokak lambası yanmıyor', group: 'Aydınlatma' },
      { code: 'b', label: 'Sokak lambası kırık', group: 'Aydınlatma', uses: 3 },
    ]);
    expect(first('sokak lambası', twin)).toBe('b');
    // The name still wins over use.
    expect(first('yanmıyor', twin)).toBe('a');
  });
});
