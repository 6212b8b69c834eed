import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RoutePreview } from '../../../src/domain/bridge/contract';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import { ANY_TOPIC, DISTRICT_TARGET, type RoutingRule } from '../../../src/domain/routing';
import type { RoutingVersion, RuleChanges } from '../../../src/domain/routing-history';
import { foldTurkish } from '../../../src/domain/text';
import { BridgeError, call } from '../bridge';
import { FormError, Notice } from '../ui/fields';
import { formatTime, ui, ROUTING_FIELD_KEY } from '../i18n';

const collator = new Intl.Collator('tr');

const fetchAll = () =>
  Promise.all([call('admin.routing.get', {}), call('admin.routing.history', {})]);

/**
 * Routing rules for BİKOM's administrators (issue #17 item 12): read and edit the rules, test
 * "where would this go?" against the draft with the intake's own routing function, save, and see
 * every version (who, when, what changed) with a rollback to any of them.
 */
export function RoutingRules({ reference }: { reference: ReferenceSnapshot }) {
  const [saved, setSaved] = useState<RoutingRule[] | null>(null);
  const [draft, setDraft] = useState<RoutingRule[]>([]);
  const [history, setHistory] = useState<RoutingVersion[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const show = useCallback(([rules, versions]: [RoutingRule[], RoutingVersion[]]) => {
    setSaved(rules);
    setDraft(rules);
    setHistory(versions);
  }, []);
  useEffect(() => {
    fetchAll().then(show, (e: unknown) => setError((e as Error).message));
  }, [show]);

  const orgs = useMemo(
    () => [...reference.organisations].sort((a, b) => collator.compare(a.name, b.name)),
    [reference],
  );
  const topics = useMemo(
    () => [...reference.topics].sort((a, b) => collator.compare(a.name, b.name)),
    [reference],
  );
  const districts = useMemo(
    () => [...reference.districts].sort((a, b) => collator.compare(a.name, b.name)),
    [reference],
  );
  const changed = saved !== null && JSON.stringify(saved) !== JSON.stringify(draft);

  const act = async (run: () => Promise<{ version: number }>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const { version } = await run();
      show(await fetchAll());
      setNotice(ui('routing.saved', { version }));
    } catch (e) {
      const fields = e instanceof BridgeError ? e.data.fields : undefined;
      setError(fields ? Object.values(fields).join(' ') : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const update = (i: number, patch: Partial<RoutingRule>) =>
    setDraft((d) => d.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <div className="admin routing-admin">
      <RouteTest rules={draft} topics={topics} districts={districts} />
      <section className="panel" aria-labelledby="routing-title" id="routing-rules">
        <div className="panel-head">
          <h2 id="routing-title">{ui('routing.title')}</h2>
          <div className="row">
            <button
              type="button"
              className="secondary"
              onClick={() =>
                setDraft((d) => [
                  ...d,
                  {
                    id: `kural-${d.length + 1}`,
                    topic: ANY_TOPIC,
                    district: null,
                    place: null,
                    target: DISTRICT_TARGET,
                    priority: 100,
                    note: '',
                  },
                ])
              }
            >
              {ui('routing.add')}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!changed || busy}
              onClick={() => saved && setDraft(saved)}
            >
              {ui('routing.discard')}
            </button>
            <button
              type="button"
              id="routing-save"
              disabled={!changed || busy}
              onClick={() => void act(() => call('admin.routing.save', { rules: draft }))}
            >
              {ui('routing.save')}
            </button>
          </div>
        </div>
        <p className="muted">{ui('routing.help')}</p>
        <FormError message={error} />
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        <div className="routing-scroll">
          <table className="user-table routing-table" id="routing-rule-table">
            <thead>
              <tr>
                <th scope="col">{ui('routing.id')}</th>
                <th scope="col">{ui('routing.topic')}</th>
                <th scope="col">{ui('routing.district')}</th>
                <th scope="col">{ui('routing.place')}</th>
                <th scope="col">{ui('routing.target')}</th>
                <th scope="col">{ui('routing.priority')}</th>
                <th scope="col">{ui('routing.note')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {draft.map((rule, i) => (
                <tr key={i} data-rule={rule.id}>
                  <td>
                    <input
                      aria-label={ui('routing.id')}
                      value={rule.id}
                      onChange={(e) => update(i, { id: e.target.value })}
                    />
                  </td>
                  <td>
                    <select
                      aria-label={ui('routing.topic')}
                      value={rule.topic}
                      onChange={(e) => update(i, { topic: e.target.value })}
                    >
                      <option value={ANY_TOPIC}>{ui('routing.anyTopic')}</option>
                      {topics.map((t) => (
                        <option key={t.code} value={t.code}>
                          {t.parentCode ? `  ${t.name}` : t.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      aria-label={ui('routing.district')}
                      value={rule.district ?? ''}
                      onChange={(e) => update(i, { district: e.target.value || null })}
                    >
                      <option value="">{ui('routing.anyDistrict')}</option>
                      {districts.map((d) => (
                        <option key={d.code} value={d.code}>
                          {d.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      aria-label={ui('routing.place')}
                      value={(rule.place ?? []).join(', ')}
                      onChange={(e) => {
                        const words = e.target.value
                          .split(',')
                          .map((w) => foldTurkish(w.trim()))
                          .filter((w) => w.length > 0);
                        update(i, { place: words.length > 0 ? words : null });
                      }}
                    />
                  </td>
                  <td>
                    <select
                      aria-label={ui('routing.target')}
                      value={rule.target}
                      onChange={(e) => update(i, { target: e.target.value })}
                    >
                      <option value={DISTRICT_TARGET}>{ui('routing.districtTarget')}</option>
                      {orgs.map((o) => (
                        <option key={o.code} value={o.code}>
                          {o.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      aria-label={ui('routing.priority')}
                      type="number"
                      min={0}
                      max={1000}
                      className="num"
                      value={rule.priority}
                      onChange={(e) => update(i, { priority: Number(e.target.value) })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={ui('routing.note')}
                      value={rule.note}
                      maxLength={300}
                      onChange={(e) => update(i, { note: e.target.value })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => setDraft((d) => d.filter((_, j) => j !== i))}
                    >
                      {ui('routing.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="routing-history-title" id="routing-history">
        <h2 id="routing-history-title">{ui('routing.history')}</h2>
        <table className="user-table">
          <thead>
            <tr>
              <th scope="col">{ui('routing.version')}</th>
              <th scope="col">{ui('routing.when')}</th>
              <th scope="col">{ui('routing.who')}</th>
              <th scope="col">{ui('routing.what')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {history.map((v, i) => (
              <tr key={v.version} data-version={v.version}>
                <td className="num">{v.version}</td>
                <td>{formatTime(v.changedAt)}</td>
                <td>{v.changedByName ?? ui('routing.system')}</td>
                <td>{describe(v)}</td>
                <td>
                  {i > 0 ? (
                    <button
                      type="button"
                      className="secondary"
                      disabled={busy}
                      onClick={() =>
                        void act(() => call('admin.routing.rollback', { version: v.version }))
                      }
                    >
                      {ui('routing.rollback', { version: v.version })}
                    </button>
                  ) : (
                    <span className="muted">{ui('routing.inForce')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function changesText(c: RuleChanges): string {
  const parts = [
    ...c.added.map((id) => ui('routing.added', { id })),
    ...c.removed.map((id) => ui('routing.removed', { id })),
    ...c.changed.map((x) =>
      ui('routing.changed', {
        id: x.id,
        fields: x.fields
          .map((f) => (ROUTING_FIELD_KEY[f] === undefined ? f : ui(ROUTING_FIELD_KEY[f])))
          .join(', '),
      }),
    ),
  ];
  return parts.length > 0 ? parts.join('; ') : ui('routing.noChange');
}

function describe(v: RoutingVersion): string {
  const how =
    v.action === 'seed'
      ? ui('routing.seeded', { count: v.ruleCount })
      : v.action === 'rollback'
        ? ui('routing.rolledBack', { version: v.rolledBackTo ?? '?' })
        : ui('routing.edited');
  return v.action === 'seed' ? how : `${how}: ${changesText(v.changes)}`;
}

function RouteTest({
  rules,
  topics,
  districts,
}: {
  rules: RoutingRule[];
  topics: ReferenceSnapshot['topics'];
  districts: ReferenceSnapshot['districts'];
}) {
  const [topicCode, setTopic] = useState('');
  const [districtCode, setDistrict] = useState('');
  const [address, setAddress] = useState('');
  const [mahalle, setMahalle] = useState('');
  const [result, setResult] = useState<RoutePreview | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    try {
      setResult(
        await call('admin.routing.test', { rules, topicCode, districtCode, mahalle, address }),
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="panel" aria-labelledby="routing-test-title" id="routing-test">
      <h2 id="routing-test-title">{ui('routing.test')}</h2>
      <p className="muted">{ui('routing.testHelp')}</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="field">
          <label htmlFor="routing-test-topic">{ui('routing.topic')}</label>
          <select
            id="routing-test-topic"
            value={topicCode}
            onChange={(e) => setTopic(e.target.value)}
          >
            <option value="">{ui('routing.pick')}</option>
            {topics
              .filter((t) => t.parentCode !== null)
              .map((t) => (
                <option key={t.code} value={t.code}>
                  {t.name}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="routing-test-district">{ui('routing.district')}</label>
          <select
            id="routing-test-district"
            value={districtCode}
            onChange={(e) => setDistrict(e.target.value)}
          >
            <option value="">{ui('routing.pick')}</option>
            {districts.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="routing-test-mahalle">{ui('routing.mahalle')}</label>
          <input
            id="routing-test-mahalle"
            value={mahalle}
            onChange={(e) => setMahalle(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="routing-test-address">{ui('routing.address')}</label>
          <input
            id="routing-test-address"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
        </div>
        <button type="submit" disabled={topicCode === '' || districtCode === ''}>
          {ui('routing.run')}
        </button>
      </form>
      <FormError message={error} />
      {result === undefined ? null : (
        <p id="routing-test-result" role="status">
          {result === null
            ? ui('routing.noRule')
            : ui('routing.goes', {
                org: result.targetName,
                rule: result.ruleId,
                why: result.explanation,
              })}
        </p>
      )}
    </section>
  );
}
