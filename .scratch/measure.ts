import Database from 'better-sqlite3';
import fs from 'node:fs';
import { createGenerator } from '/work/wt/search/bench/search-data';
import { ReferenceDataSchema } from '/work/wt/search/src/domain/reference';
import { searchTokens } from '/work/wt/search/src/domain/text';
const ref = ReferenceDataSchema.parse(JSON.parse(fs.readFileSync('/work/wt/search/resources/reference/bursa.json','utf8')));
const N = 30000;
const gen = createGenerator(ref, N, 153);
const rows = Array.from({length: N}, (_, i) => gen.next(i));
const topics = new Map(ref.topics.map(t => [t.code, t]));
const dn = new Map(ref.districts.map(d => [d.code, d.name]));
const docs = rows.map(r => { const t = topics.get(r.draft.topicCode)!; const p = t.parentCode ? topics.get(t.parentCode)! : null;
  return { name: searchTokens(r.draft.citizenName).join(' '), place: searchTokens([r.draft.mahalle, r.draft.address, dn.get(r.draft.districtCode)].join(' ')).join(' '),
   all: searchTokens([r.regNo, r.draft.citizenPhone, r.draft.citizenName, r.draft.mahalle, r.draft.address, r.draft.description, t.name, p?.name ?? '', dn.get(r.draft.districtCode), 'Şikayet', ...t.keywords].join(' ')).join(' '),
   text: searchTokens([r.draft.description, t.name, p?.name ?? '', 'Şikayet', ...t.keywords].join(' ')).join(' ') }; });
console.log('avg tokens all', docs.reduce((a,d)=>a+d.all.split(' ').length,0)/N, 'name', docs.reduce((a,d)=>a+d.name.split(' ').length,0)/N,'place', docs.reduce((a,d)=>a+d.place.split(' ').length,0)/N);
const P='1 2 3 4 5 6 7 8 9 10';
for (const [label, prefix, key, detail] of [['all p1-10 full',P,'all',''],['all p1-10 dnone',P,'all','none'],['all p1-10 dcol',P,'all','column'],['all p1-6 dnone','1 2 3 4 5 6','all','none'],['name p1-10 dnone',P,'name','none'],['place dnone',P,'place','none']] as const) {
  fs.rmSync('/tmp/s16/m.db', {force:true}); fs.rmSync('/tmp/s16/m.db-wal', {force:true});
  const db = new Database('/tmp/s16/m.db'); db.pragma('journal_mode=WAL'); db.pragma('synchronous=NORMAL'); db.pragma('cache_size=-65536');
  db.exec(`CREATE VIRTUAL TABLE f USING fts5(folded, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'${detail ? `, detail=${detail}` : ''}${prefix ? `, prefix='${prefix}'` : ''})`);
  const ins = db.prepare('INSERT INTO f(rowid, folded) VALUES (?, ?)');
  const t0 = performance.now();
  const tx = db.transaction((a: number, b: number) => { for (let i = a; i < b; i++) ins.run(i + 1, (docs[i] as any)[key]); });
  for (let i = 0; i < N; i += 5000) tx(i, Math.min(N, i + 5000));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(); console.log(label, Math.round(N / ms * 1000), 'rows/s wall', fs.statSync('/tmp/s16/m.db').size + fs.statSync('/tmp/s16/m.db-wal').size);
  db.close();
}
