import { randomUUID } from 'node:crypto';
import { phoneTail, readSearchQuery } from '../../domain/search';
import type { Sok, SokDraft, SokListFilter, SokListPage, SokSearchResult } from '../../domain/sok';

/** Lists count matches up to this many; beyond it the UI says "10.000+". */
export const LIST_TOTAL_CAP = 10_000;
import type { SokWire } from '../../domain/sync';
import type { WorkflowState } from '../../domain/workflow';
import type { CallbackQuery, InboxQuery } from '../../domain/queues';
import type { Statement } from 'better-sqlite3';
import { BULK_CACHE_KIB, CACHE_KIB, type Db } from './database';
import {
  createSearchBacklog,
  createSearchIndexer,
  createSearchQueries,
  type IndexableRow,
} from './search-index';

/** Column ← field of a ŞÖK, in one place for the insert, the upsert and the reader. */
const COLUMNS = {
  id: 'id',
  reg_no: 'regNo',
  type_code: 'typeCode',
  channel_code: 'channelCode',
  topic_code: 'topicCode',
  district_code: 'districtCode',
  mahalle: 'mahalle',
  address: 'address',
  description: 'description',
  citizen_name: 'citizenName',
  citizen_phone: 'citizenPhone',
  citizen_email: 'citizenEmail',
  preferred_contact: 'preferredContact',
  latitude: 'latitude',
  longitude: 'longitude',
  kvkk_notice_by: 'kvkkNoticeBy',
  kvkk_notice_at: 'kvkkNoticeAt',
  sms_consent: 'smsConsent',
  route_rule_id: 'routeRuleId',
  route_reason: 'routeReason',
  status: 'status',
  origin_org: 'originOrg',
  target_org: 'targetOrg',
  created_by: 'createdBy',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  accepted_by: 'acceptedBy',
  accepted_at: 'acceptedAt',
  decision: 'decision',
  callback: 'callback',
  contact_masked: 'contactMasked',
} as const satisfies Record<string, keyof SokWire>;

/**
 * What a desk blanks of a closed ŞÖK past its KVKK period (docs/kvkk.md): the citizen's contact
 * details and where they live. One table for the drop after a sync (dropPersonalData) and for a
 * pulled ŞÖK stored dropped already (upsertFromServer with `droppedAt`).
 */
const PERSONAL_DROPPED = {
  citizenName: '',
  citizenPhone: '',
  citizenEmail: '',
  address: '',
  latitude: null,
  longitude: null,
} as const satisfies Partial<SokWire>;
/** The same as SQL assignments; the phone's tail (DERIVED) goes with the phone. */
const PERSONAL_DROPPED_SET = [
  ...Object.entries(COLUMNS)
    .filter(([, field]) => field in PERSONAL_DROPPED)
    .map(
      ([column, field]) =>
        `${column} = ${PERSONAL_DROPPED[field as keyof typeof PERSONAL_DROPPED] === null ? 'NULL' : "''"}`,
    ),
  "phone_tail = ''",
].join(', ');

/** Stored beside the JSON for the inbox and the callback queue to filter and sort on. */
const DERIVED = ['callback_owner_org', 'callback_state', 'callback_due_at', 'phone_tail'] as const;

/**
 * Indexes a bulk load keeps: look-ups by phone must be instant from the moment a row is stored
 * (registration number and id are constraints, never dropped).
 */
const LOOKUP_INDEXES = new Set(['sok_citizen_phone', 'sok_phone_tail']);

/** The decision and callback as stored: JSON, and the columns the queues filter on. */
function workflowColumns(s: Pick<WorkflowState, 'decision' | 'callback'>) {
  return {
    decision: s.decision === null ? null : JSON.stringify(s.decision),
    callback: s.callback === null ? null : JSON.stringify(s.callback),
    callback_owner_org: s.callback?.ownerOrg ?? null,
    callback_state: s.callback?.state ?? null,
    callback_due_at: s.callback?.dueAt ?? null,
  };
}

type SokRow = { [C in keyof typeof COLUMNS]: unknown } & {
  local_rowid: number;
  pending: number;
  personal_dropped_at: string | null;
};

function toSok(r: SokRow): Sok {
  const sok = Object.fromEntries(
    Object.entries(COLUMNS).map(([column, field]) => [field, r[column as keyof typeof COLUMNS]]),
  ) as unknown as Sok;
  sok.smsConsent = Boolean(r.sms_consent);
  sok.contactMasked = Boolean(r.contact_masked);
  sok.decision = r.decision ? (JSON.parse(r.decision as string) as Sok['decision']) : null;
  sok.callback = r.callback ? (JSON.parse(r.callback as string) as Sok['callback']) : null;
  sok.syncState = r.pending ? 'pending' : 'synced';
  if (typeof r.personal_dropped_at === 'string') sok.personalDataOffDesk = true;
  return sok;
}

export interface NewSok {
  id?: string;
  regNo: string | null;
  originOrg: string;
  createdBy: string;
  now: Date;
  targetOrg?: string | null;
  routeRuleId?: string | null;
}

export interface SokRepo {
  /** Stores a ŞÖK registered here; the KVKK notice is recorded as given by its author, now. */
  insert(draft: SokDraft, opts: NewSok): Sok;
  /**
   * Stores the server's version of a ŞÖK (insert or replace) and its search row. With
   * `deferIndex` (bulk pulls) the search row is written later by `indexPending`; the ŞÖK is
   * findable meanwhile (see createSearchBacklog). With `droppedAt` (KVKK: a closed ŞÖK past the
   * desk's period, see dropPersonalData) it is stored with its personal data already dropped
   * and marked so, and indexed without it: written once instead of stored and then dropped.
   */
  upsertFromServer(sok: SokWire, options?: { deferIndex?: boolean; droppedAt?: Date }): void;
  /**
   * Runs `fn` inside the caller's transaction with the search rows it writes held back and
   * written after its other statements, in rowid order (a pulled slice: one FTS5 segment per
   * table instead of one per row; see createSearchIndexer).
   */
  batch<T>(fn: () => T): T;
  /**
   * Before a bulk load into a (nearly) empty store: drops the ŞÖK table's secondary indexes
   * (lists, queues, phone lookup), remembering their definitions in `meta` in the same
   * transaction; `restoreListIndexes` builds them again in one sorted pass, far cheaper than
   * keeping a dozen B-trees up to date row by row. Returns false (and does nothing) when the
   * store already holds more than `maxRows` ŞÖKs. A crash in between is repaired when the store
   * is next opened.
   */
  suspendListIndexes(maxRows: number): boolean;
  /** Builds up to `max` suspended indexes again (all by default); returns how many are left. */
  restoreListIndexes(max?: number): number;
  count(): number;
  /** Writes up to `max` deferred search rows, newest first; returns how many are left. */
  indexPending(max: number): number;
  /** ŞÖKs whose place and full-text rows are not written yet. */
  searchBacklog(): number;
  /**
   * A bulk load and its indexing are over: back to the normal page cache, and the memory the
   * load used returned (a first sync of 200,000 ŞÖKs fills the bulk-load cache).
   */
  settleAfterBulkLoad(): void;
  remove(id: string): void;
  /** Drops every ŞÖK except those with local changes the server has not seen. */
  removeAllSynced(): void;
  get(id: string): Sok | null;
  search(query: string, limit: number): SokSearchResult;
  /** A filtered page, newest first, with the number of matches (counted up to a cap). */
  list(filter: SokListFilter): SokListPage;
  /** Open ŞÖKs (not closed) on a topic registered since `since`, newest first. */
  openByTopic(topicCode: string, since: Date): Sok[];
  /** ŞÖKs of one citizen phone number, newest first. */
  byPhone(e164: string, limit: number): Sok[];
  /**
   * KVKK (docs/kvkk.md): drops the citizen's name, phone, e-mail, address and coordinates of
   * closed ŞÖKs last changed before `cutoff` (and with no local change waiting), marks them, and
   * writes their search rows again without them. Returns how many were dropped.
   */
  dropPersonalData(cutoff: Date, now: Date): number;
  /** Stores a workflow transition's result (optimistically, until the server confirms). */
  setWorkflow(id: string, state: WorkflowState, now: Date): void;
  /** The organisation's inbox: sent to it and not yet decided, oldest first. */
  inbox(orgCode: string, query: InboxQuery): SokListPage;
  /** A callback queue page, soonest due first. */
  callbacks(
    query: CallbackQuery & {
      orgCode: string | null;
      userId: string;
      now: Date;
      /** For 'escalated': the lowest escalation level listed. */
      minEscalation?: number;
    },
  ): SokListPage;
}

export function createSokRepo(db: Db): SokRepo {
  const indexer = createSearchIndexer(db);
  const backlog = createSearchBacklog(db, indexer);
  const queries = createSearchQueries(db, backlog);
  const maxRowid = db.prepare('SELECT max(local_rowid) FROM sok').pluck();
  const names = [...Object.keys(COLUMNS), ...DERIVED];
  const selectColumns = `sok.*, EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = sok.id AND o.state = 'pending') AS pending`;
  // A stored version of a ŞÖK brings its contact data back: the KVKK mark goes (the next sync
  // drops them again if the ŞÖK still qualifies). Stores older than 0014 (migration tests) lack it.
  const hasDropMark =
    db
      .prepare("SELECT 1 FROM pragma_table_info('sok') WHERE name = 'personal_dropped_at'")
      .get() !== undefined;
  // Positional parameters, in `names` order: binding by name costs a lookup per column. A stored
  // version of a ŞÖK clears the KVKK mark, or (`marked`, a ŞÖK stored with its personal data
  // dropped) sets it from one more parameter.
  const upsertSql = (marked: boolean) =>
    `INSERT INTO sok (${names.join(', ')}${marked ? ', personal_dropped_at' : ''})
     VALUES (${names.map(() => '?').join(', ')}${marked ? ', ?' : ''})
     ON CONFLICT(id) DO UPDATE SET ${names
       .filter((c) => c !== 'id')
       .map((c) => `${c} = excluded.${c}`)
       .join(', ')}${
       marked
         ? ', personal_dropped_at = excluded.personal_dropped_at'
         : hasDropMark
           ? ', personal_dropped_at = NULL'
           : ''
     }
     RETURNING local_rowid`;
  const upsert = db.prepare(upsertSql(false));
  const upsertDropped = hasDropMark ? db.prepare(upsertSql(true)) : null;
  const countRows = db.prepare('SELECT count(*) FROM sok').pluck();
  const metaGet = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const metaSet = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const metaDelete = db.prepare('DELETE FROM meta WHERE key = ?');
  const SUSPENDED = 'sok.suspendedIndexes';
  const listIndexes = db.prepare(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sok' AND sql IS NOT NULL`,
  );
  const restoreListIndexes = db.transaction((max: number): number => {
    const stored = metaGet.get(SUSPENDED) as string | undefined;
    if (stored === undefined) return 0;
    const left = JSON.parse(stored) as { name: string; sql: string }[];
    for (const { sql } of left.splice(0, max)) {
      db.exec(sql.replace(/^CREATE (UNIQUE )?INDEX /i, (m) => `${m}IF NOT EXISTS `));
    }
    if (left.length === 0) metaDelete.run(SUSPENDED);
    else metaSet.run(SUSPENDED, JSON.stringify(left));
    return left.length;
  });
  const suspendListIndexes = db.transaction((maxRows: number): boolean => {
    if (metaGet.get(SUSPENDED) !== undefined) return true;
    if ((countRows.get() as number) > maxRows) return false;
    db.pragma(`cache_size = ${BULK_CACHE_KIB}`);
    const indexes = (listIndexes.all() as { name: string; sql: string }[]).filter(
      (i) => !LOOKUP_INDEXES.has(i.name),
    );
    metaSet.run(SUSPENDED, JSON.stringify(indexes));
    for (const { name } of indexes) db.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`);
    return true;
  });
  // Left dropped by a crash during a bulk load: build them again before anyone lists.
  restoreListIndexes(Infinity);
  const selectById = db.prepare(`SELECT ${selectColumns} FROM sok WHERE id = ?`);
  const rowidOf = db.prepare('SELECT local_rowid FROM sok WHERE id = ?').pluck();
  const deleteRow = db.prepare('DELETE FROM sok WHERE id = ?');
  const syncedRowids = db
    .prepare(
      `SELECT local_rowid FROM sok WHERE id NOT IN (SELECT entity_id FROM outbox WHERE state = 'pending')`,
    )
    .pluck();
  const rowsByIds = db.prepare(
    `SELECT ${selectColumns} FROM sok WHERE local_rowid IN (SELECT value FROM json_each(?))`,
  );
  const latestRows = db.prepare(
    `SELECT ${selectColumns} FROM sok ORDER BY local_rowid DESC LIMIT ?`,
  );
  const openTopicRows = db.prepare(
    `SELECT ${selectColumns} FROM sok WHERE topic_code = ? AND created_at >= ? AND status <> 'closed'
     ORDER BY created_at DESC LIMIT 50`,
  );
  const phoneRows = db.prepare(
    `SELECT ${selectColumns} FROM sok WHERE citizen_phone = ? ORDER BY created_at DESC LIMIT ?`,
  );

  const droppable = () =>
    db.prepare(
      `SELECT local_rowid FROM sok WHERE status = 'closed' AND updated_at < ? AND personal_dropped_at IS NULL
       AND id NOT IN (SELECT entity_id FROM outbox WHERE state = 'pending')`,
    );
  const dropRow = () =>
    db.prepare(
      `UPDATE sok SET ${PERSONAL_DROPPED_SET}, personal_dropped_at = ? WHERE local_rowid = ?`,
    );
  const dropPersonalData = db.transaction((cutoff: Date, now: Date): number => {
    const rowids = droppable().pluck().all(cutoff.toISOString()) as number[];
    const at = now.toISOString();
    const drop = dropRow();
    indexer.batch(() => {
      for (const rowid of rowids) {
        drop.run(at, rowid);
        // The name row at once; the place and text rows (the address) by the background
        // indexer, as after a bulk pull: searches ignore a listed row's old ones meanwhile.
        indexer.indexName(rowid, '', false);
        backlog.defer(rowid);
      }
    });
    return rowids.length;
  });

  const workflowRow = db.prepare(
    `UPDATE sok SET status = @status, target_org = @target_org, route_rule_id = @route_rule_id,
       route_reason = @route_reason, accepted_by = @accepted_by,
       accepted_at = @accepted_at, decision = @decision, callback = @callback,
       callback_owner_org = @callback_owner_org, callback_state = @callback_state,
       callback_due_at = @callback_due_at, updated_at = @at WHERE id = @id`,
  );
  const page = (
    where: string[],
    params: Record<string, unknown>,
    order: string,
    q: { offset: number; limit: number },
  ): SokListPage => {
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const items = db
      .prepare(
        `SELECT ${selectColumns} FROM sok ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as SokRow[];
    const total = db
      .prepare(`SELECT count(*) FROM (SELECT 1 FROM sok ${clause} LIMIT ${LIST_TOTAL_CAP})`)
      .pluck()
      .get(params) as number;
    return { items: items.map(toSok), total, totalCap: LIST_TOTAL_CAP };
  };

  /**
   * The call centre's "Dış kurumda" list (docs/mailbox.md): every ŞÖK routed to an organisation
   * outside the app and not yet decided, whatever the desk's own organisation. Sent: its latest
   * routing event (the registration time before the timeline is synced). Overdue: the server's
   * `external-overdue` event since then — the server's reminder pass decides, with its calendar,
   * and the desk shows what it has synced, offline too. Overdue and unanswered first, then the
   * oldest sent.
   */
  const externalWhere = `sok.status IN ('routed', 'accepted')
    AND sok.target_org IN (SELECT code FROM organisation WHERE external = 1)`;
  // Prepared on first use: stores older than 0018 (migration tests) have no `external` column.
  let externalStatements: { rows: Statement; count: Statement } | null = null;
  const externalQueries = () =>
    (externalStatements ??= {
      rows: db.prepare(
        `WITH waiting AS (
           SELECT sok.local_rowid AS rid, sok.id AS sok_id,
             coalesce((SELECT max(e.at) FROM sok_event e
                       WHERE e.sok_id = sok.id AND e.kind IN ('routed', 'rerouted')), sok.created_at)
               AS sent_at
           FROM sok WHERE ${externalWhere}
         ), marked AS (
           SELECT w.rid, w.sent_at,
             (SELECT max(e.at) FROM sok_event e WHERE e.sok_id = w.sok_id
              AND e.kind = 'external-overdue' AND e.at >= w.sent_at) AS overdue_at,
             (SELECT max(e.at) FROM sok_event e WHERE e.sok_id = w.sok_id
              AND e.kind = 'organisation-email' AND e.at >= w.sent_at) AS answered_at
           FROM waiting w
         )
         SELECT ${selectColumns}, m.sent_at, m.overdue_at, m.answered_at
         FROM marked m JOIN sok ON sok.local_rowid = m.rid
         ORDER BY (m.overdue_at IS NOT NULL AND m.answered_at IS NULL) DESC, m.sent_at ASC,
           sok.local_rowid ASC
         LIMIT @limit OFFSET @offset`,
      ),
      count: db
        .prepare(
          `SELECT count(*) FROM (SELECT 1 FROM sok WHERE ${externalWhere} LIMIT ${LIST_TOTAL_CAP})`,
        )
        .pluck(),
    });
  const externalPage = (q: { offset: number; limit: number }): SokListPage => {
    const rows = externalQueries().rows.all({ limit: q.limit, offset: q.offset }) as (SokRow & {
      sent_at: string;
      overdue_at: string | null;
      answered_at: string | null;
    })[];
    const external: NonNullable<SokListPage['external']> = {};
    for (const r of rows) {
      external[r.id as string] = {
        sentAt: r.sent_at,
        overdueAt: r.overdue_at,
        answeredAt: r.answered_at,
      };
    }
    return {
      items: rows.map(toSok),
      total: externalQueries().count.get() as number,
      totalCap: LIST_TOTAL_CAP,
      external,
    };
  };

  const entries = Object.entries(COLUMNS) as [keyof typeof COLUMNS, keyof SokWire][];
  /** Stores the ŞÖK and its search row (or lists it for indexing later); returns the local rowid. */
  function put(server: SokWire, deferIndex = false, droppedAt: Date | null = null): number {
    const drop = droppedAt !== null && upsertDropped !== null;
    const sok: SokWire = drop ? { ...server, ...PERSONAL_DROPPED } : server;
    const params: Record<string, unknown> = {};
    for (const [column, field] of entries) params[column] = sok[field];
    params.sms_consent = sok.smsConsent ? 1 : 0;
    params.contact_masked = sok.contactMasked ? 1 : 0;
    Object.assign(params, workflowColumns(sok));
    params.phone_tail = phoneTail(sok.citizenPhone);
    const before = (maxRowid.get() as number | null) ?? 0;
    const values = names.map((c) => params[c]);
    const row = drop
      ? upsertDropped.get([...values, (droppedAt as Date).toISOString()])
      : upsert.get(values);
    const rowid = (row as { local_rowid: number }).local_rowid;
    // A row above the previous maximum was just inserted: it has no search rows to replace.
    const fresh = rowid > before;
    if (deferIndex) {
      // Number columns are in the row itself; the name row is cheap and written now, so
      // registration number, phone and name look-ups find the ŞÖK from this moment.
      indexer.indexName(rowid, sok.citizenName, fresh);
      backlog.defer(rowid);
    } else {
      indexer.index({ ...(params as unknown as IndexableRow), local_rowid: rowid }, fresh);
      if (!fresh) backlog.discard(rowid);
    }
    return rowid;
  }

  return {
    insert(draft, opts) {
      const at = opts.now.toISOString();
      const targetOrg = opts.targetOrg ?? null;
      const id = opts.id ?? randomUUID();
      put({
        id,
        regNo: opts.regNo as string,
        typeCode: draft.typeCode,
        channelCode: draft.channelCode,
        topicCode: draft.topicCode,
        districtCode: draft.districtCode,
        mahalle: draft.mahalle,
        address: draft.address,
        description: draft.description,
        citizenName: draft.citizenName,
        citizenPhone: draft.citizenPhone,
        citizenEmail: draft.citizenEmail,
        preferredContact: draft.preferredContact,
        latitude: draft.latitude,
        longitude: draft.longitude,
        kvkkNoticeBy: draft.kvkkNoticeGiven ? opts.createdBy : null,
        kvkkNoticeAt: draft.kvkkNoticeGiven ? at : null,
        smsConsent: draft.smsConsent,
        routeRuleId: opts.routeRuleId ?? null,
        routeReason: draft.routeReason,
        status: targetOrg ? 'routed' : 'registered',
        originOrg: opts.originOrg,
        targetOrg,
        createdBy: opts.createdBy,
        createdAt: at,
        updatedAt: at,
        acceptedBy: null,
        acceptedAt: null,
        decision: null,
        callback: null,
        contactMasked: false,
      });
      return toSok(selectById.get(id) as SokRow);
    },
    upsertFromServer(sok, options) {
      put(sok, options?.deferIndex ?? false, options?.droppedAt ?? null);
    },
    batch: (fn) => indexer.batch(fn),
    suspendListIndexes: (maxRows) => suspendListIndexes(maxRows),
    restoreListIndexes: (max = Infinity) => restoreListIndexes(max),
    count: () => countRows.get() as number,
    indexPending(max) {
      if (backlog.isEmpty()) return 0;
      backlog.indexSome(max);
      return backlog.size();
    },
    searchBacklog: () => backlog.size(),
    settleAfterBulkLoad() {
      db.pragma(`cache_size = ${CACHE_KIB}`);
      db.pragma('shrink_memory');
    },
    remove(id) {
      const rowid = rowidOf.get(id) as number | undefined;
      if (rowid === undefined) return;
      indexer.remove(rowid);
      backlog.discard(rowid);
      deleteRow.run(id);
    },
    removeAllSynced() {
      for (const rowid of syncedRowids.all() as number[]) indexer.remove(rowid);
      db.prepare(
        `DELETE FROM sok WHERE id NOT IN (SELECT entity_id FROM outbox WHERE state = 'pending')`,
      ).run();
      backlog.dropOrphans();
    },
    get(id) {
      const row = selectById.get(id) as SokRow | undefined;
      return row ? toSok(row) : null;
    },
    search(query, limit) {
      const q = readSearchQuery(query);
      const indexing = backlog.size();
      if (q === null) {
        const rows = latestRows.all(limit + 1) as SokRow[];
        return {
          items: rows.slice(0, limit).map(toSok),
          more: rows.length > limit,
          matchedBy: {},
          indexing,
        };
      }
      const found = queries.find(q, limit + 1);
      const byRowid = new Map(
        (rowsByIds.all(JSON.stringify(found.slice(0, limit).map((f) => f.rowid))) as SokRow[]).map(
          (r) => [r.local_rowid, r],
        ),
      );
      const items: Sok[] = [];
      const matchedBy: SokSearchResult['matchedBy'] = {};
      for (const f of found.slice(0, limit)) {
        const row = byRowid.get(f.rowid);
        if (row === undefined) continue;
        const sok = toSok(row);
        items.push(sok);
        matchedBy[sok.id] = f.by;
      }
      return { items, more: found.length > limit, matchedBy, indexing };
    },
    list(filter) {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      const q = readSearchQuery(filter.query);
      if (q !== null) {
        const matching = queries.matchingRowids(q);
        where.push(`local_rowid IN (${matching.sql})`);
        Object.assign(params, matching.params);
      }
      for (const [column, value] of [
        ['status', filter.status],
        ['type_code', filter.typeCode],
        ['topic_code', filter.topicCode],
        ['district_code', filter.districtCode],
        ['target_org', filter.targetOrg],
      ] as const) {
        if (value !== undefined) {
          where.push(`${column} = @${column}`);
          params[column] = value;
        }
      }
      if (filter.from !== undefined) {
        where.push('created_at >= @from');
        params.from = filter.from;
      }
      if (filter.to !== undefined) {
        where.push('created_at < @to');
        params.to = filter.to;
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const items = db
        .prepare(
          `SELECT ${selectColumns} FROM sok ${clause} ORDER BY local_rowid DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...params, limit: filter.limit, offset: filter.offset }) as SokRow[];
      const total = db
        .prepare(`SELECT count(*) FROM (SELECT 1 FROM sok ${clause} LIMIT ${LIST_TOTAL_CAP})`)
        .pluck()
        .get(params) as number;
      return { items: items.map(toSok), total, totalCap: LIST_TOTAL_CAP };
    },
    openByTopic(topicCode, since) {
      return (openTopicRows.all(topicCode, since.toISOString()) as SokRow[]).map(toSok);
    },
    byPhone(e164, limit) {
      return (phoneRows.all(e164, limit) as SokRow[]).map(toSok);
    },
    dropPersonalData: (cutoff, now) => dropPersonalData(cutoff, now),
    setWorkflow(id, state, now) {
      workflowRow.run({
        id,
        status: state.status,
        target_org: state.targetOrg,
        route_rule_id: state.routeRuleId,
        route_reason: state.routeReason,
        accepted_by: state.acceptedBy,
        accepted_at: state.acceptedAt,
        ...workflowColumns(state),
        at: now.toISOString(),
      });
    },
    inbox(orgCode, query) {
      if (query.state === 'external') return externalPage(query);
      const statuses =
        query.state === 'new'
          ? "('routed')"
          : query.state === 'evaluating'
            ? "('accepted')"
            : "('routed', 'accepted')";
      return page(
        [`target_org = @org`, `status IN ${statuses}`],
        { org: orgCode },
        'created_at ASC',
        query,
      );
    },
    callbacks(q) {
      const where: string[] = [];
      const params: Record<string, unknown> = { now: q.now.toISOString(), user: q.userId };
      if (q.orgCode !== null) {
        where.push('callback_owner_org = @org');
        params.org = q.orgCode;
      } else {
        where.push('callback_owner_org IS NOT NULL');
      }
      if (q.state === 'open' || q.state === 'overdue' || q.state === 'escalated') {
        where.push(`callback_state = 'open'`);
      } else if (q.state === 'done' || q.state === 'unreachable') {
        where.push('callback_state = @state');
        params.state = q.state;
      }
      if (q.state === 'overdue') where.push('callback_due_at < @now');
      if (q.state === 'escalated') {
        where.push(`json_extract(callback, '$.escalation') >= @minEscalation`);
        params.minEscalation = q.minEscalation ?? 1;
      }
      // A claim counts until its time runs out (then the callback is back in the pool).
      const claimedByMe = `json_extract(callback, '$.claimedBy') = @user AND json_extract(callback, '$.claimUntil') > @now`;
      const inPool = `(json_extract(callback, '$.claimedBy') IS NULL OR json_extract(callback, '$.claimUntil') <= @now)`;
      if (q.owner === 'mine') where.push(claimedByMe);
      if (q.owner === 'unclaimed') where.push(inPool);
      if (q.districtCode !== undefined) {
        where.push('district_code = @district');
        params.district = q.districtCode;
      }
      if (q.topicCode !== undefined) {
        where.push('(topic_code = @topic OR topic_code LIKE @topicPrefix)');
        params.topic = q.topicCode;
        params.topicPrefix = `${q.topicCode}.%`;
      }
      const order =
        q.state === 'open' || q.state === 'overdue'
          ? 'callback_due_at ASC'
          : 'callback_due_at DESC';
      return page(where, params, order, q);
    },
  };
}
