import { useFormState } from '../ui/form-state';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { t } from '../../../src/domain/i18n/tr';
import type { Organisation } from '../../../src/domain/reference';
import {
  AdminUserCreateSchema,
  ROLE_NAMES,
  ROLES,
  type AdminUser,
  type Role,
} from '../../../src/domain/session';
import { useAdmin } from './admin-store';
import { call } from '../bridge';
import { Combobox } from '../ui/Combobox';
import { errorAria, FieldLabel, FormError, TextField } from '../ui/fields';
import { checkWith, formErrors, NO_ERRORS } from '../ui/form-errors';
import { formatTime, ui } from '../i18n';
import { orgName, userOrgOptions } from '../ui/org-options';
import { toast } from '../shell/toast-store';

/** The admin's screen: who may use Alo 153, in which role and organisation. */
export function AdminUsers({ organisations }: { organisations: readonly Organisation[] }) {
  const users = useAdmin((s) => s.users);
  const loading = useAdmin((s) => s.loading);
  const error = useAdmin((s) => s.error);
  const editingId = useAdmin((s) => s.editingId);
  const load = useAdmin((s) => s.load);
  const edit = useAdmin((s) => s.edit);
  const editing = users.find((u) => u.id === editingId) ?? null;

  async function unlock(user: AdminUser) {
    try {
      await call('admin.users.unlock', { id: user.id });
      toast({ tone: 'success', text: ui('admin.unlocked', { name: user.username }) });
    } catch (error) {
      toast({ tone: 'error', text: (error as Error).message });
    }
    void load();
  }

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <main className="admin" aria-label={ui('admin.title')}>
      <section className="panel" aria-labelledby="user-list-title">
        <div className="panel-head">
          <h2 id="user-list-title">{ui('admin.listTitle')}</h2>
          <button type="button" className="secondary small" onClick={() => void load()}>
            {ui('admin.reload')}
          </button>
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {loading && users.length === 0 ? <p className="muted">{ui('admin.loading')}</p> : null}
        {!loading && !error && users.length === 0 ? (
          <p className="muted">{ui('admin.empty')}</p>
        ) : null}
        {users.length > 0 ? (
          <table className="user-table" aria-labelledby="user-list-title">
            <thead>
              <tr>
                <th scope="col">{ui('admin.username')}</th>
                <th scope="col">{ui('admin.displayName')}</th>
                <th scope="col">{ui('admin.role')}</th>
                <th scope="col">{ui('admin.org')}</th>
                <th scope="col">{ui('admin.status')}</th>
                <th scope="col">{ui('admin.lock')}</th>
                <th scope="col">
                  <span className="visually-hidden">{ui('admin.edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} className={u.id === editingId ? 'selected' : undefined}>
                  <td className="mono">{u.username}</td>
                  <td>{u.displayName}</td>
                  <td>{ROLE_NAMES[u.role]}</td>
                  <td>{orgName(organisations, u.orgCode)}</td>
                  <td>
                    <span className={u.active ? 'tag ok' : 'tag off'}>
                      {u.active ? ui('admin.active') : ui('admin.inactive')}
                    </span>
                  </td>
                  <td>
                    {u.lockedUntil ? (
                      <>
                        <span className="tag warn">
                          {ui('admin.lockedUntil', { time: formatTime(u.lockedUntil) })}
                        </span>{' '}
                        <button
                          type="button"
                          className="secondary small"
                          aria-label={`${ui('admin.unlock')}: ${u.username}`}
                          onClick={() => void unlock(u)}
                        >
                          {ui('admin.unlock')}
                        </button>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary small"
                      aria-label={`${ui('admin.edit')}: ${u.username}`}
                      onClick={() => edit(u.id)}
                    >
                      {ui('admin.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {editing ? (
        <EditUserForm key={editing.id} user={editing} organisations={organisations} />
      ) : (
        <CreateUserForm organisations={organisations} />
      )}
    </main>
  );
}

const EMPTY_USER = {
  username: '',
  displayName: '',
  password: '',
  role: 'agent' as Role,
  orgCode: '',
};

function CreateUserForm({ organisations }: { organisations: readonly Organisation[] }) {
  const load = useAdmin((s) => s.load);
  const { values, setValues, errors, setErrors, set, bind } = useFormState(EMPTY_USER);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const orgOptions = useMemo(() => userOrgOptions(organisations), [organisations]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const invalid = checkWith(AdminUserCreateSchema, values);
    if (invalid) return setErrors(invalid);
    setBusy(true);
    try {
      await call('admin.users.create', values);
      toast({ tone: 'success', text: ui('admin.created', { name: values.username.trim() }) });
      setValues(EMPTY_USER);
      setErrors(NO_ERRORS);
      first.current?.focus();
      void load();
    } catch (error) {
      setErrors(formErrors(error, Object.keys(EMPTY_USER)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="user-create-title">
      <h2 id="user-create-title">{ui('admin.createTitle')}</h2>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="user-username"
          label={ui('admin.username')}
          {...bind('username')}
          inputRef={first}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
        />
        <TextField
          id="user-displayName"
          label={ui('admin.displayName')}
          {...bind('displayName')}
          autoComplete="off"
        />
        <TextField
          id="user-password"
          label={ui('admin.password')}
          type="password"
          {...bind('password')}
          autoComplete="new-password"
        />
        <RoleSelect
          id="user-role"
          value={values.role}
          onChange={set('role')}
          error={errors.fields.role}
        />
        <div className="field">
          <FieldLabel htmlFor="user-orgCode" text={ui('admin.org')} error={errors.fields.orgCode} />
          <Combobox
            id="user-orgCode"
            options={orgOptions}
            value={values.orgCode}
            onChange={set('orgCode')}
            invalid={Boolean(errors.fields.orgCode)}
            describedBy={errors.fields.orgCode ? 'user-orgCode-error' : undefined}
            placeholder={ui('admin.orgPlaceholder')}
          />
        </div>
        <FormError message={errors.form} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? ui('admin.creating') : ui('admin.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

function EditUserForm({
  user,
  organisations,
}: {
  user: AdminUser;
  organisations: readonly Organisation[];
}) {
  const load = useAdmin((s) => s.load);
  const edit = useAdmin((s) => s.edit);
  const { values, errors, setErrors, change } = useFormState({
    displayName: user.displayName,
    role: user.role,
    orgCode: user.orgCode,
    active: user.active,
    password: '',
  });
  const [busy, setBusy] = useState(false);
  const orgOptions = useMemo(
    () => userOrgOptions(organisations, user.orgCode),
    [organisations, user.orgCode],
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    // Only what changed is sent: the server ends sessions when role or organisation change.
    const changes = {
      ...(values.displayName.trim() !== user.displayName
        ? { displayName: values.displayName }
        : {}),
      ...(values.role !== user.role ? { role: values.role } : {}),
      ...(values.orgCode !== user.orgCode ? { orgCode: values.orgCode } : {}),
      ...(values.active !== user.active ? { active: values.active } : {}),
      ...(values.password !== '' ? { password: values.password } : {}),
    };
    if (Object.keys(changes).length === 0) {
      return setErrors({ fields: {}, form: ui('admin.noChanges') });
    }
    if (values.orgCode === '') {
      return setErrors({
        fields: { orgCode: t('validation.required') },
        form: ui('form.fixErrors'),
      });
    }
    setBusy(true);
    try {
      await call('admin.users.update', { id: user.id, ...changes });
      toast({ tone: 'success', text: ui('admin.saved', { name: user.username }) });
      edit(null);
      void load();
    } catch (error) {
      setErrors(formErrors(error, ['displayName', 'role', 'orgCode', 'active', 'password']));
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="user-edit-title">
      <h2 id="user-edit-title">{ui('admin.editTitle', { name: user.username })}</h2>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="edit-displayName"
          label={ui('admin.displayName')}
          value={values.displayName}
          onValueChange={(displayName) => change('displayName', displayName)}
          error={errors.fields.displayName}
          autoComplete="off"
          autoFocus
        />
        <RoleSelect
          id="edit-role"
          value={values.role}
          onChange={(role) => change('role', role)}
          error={errors.fields.role}
        />
        <div className="field">
          <FieldLabel htmlFor="edit-orgCode" text={ui('admin.org')} error={errors.fields.orgCode} />
          <Combobox
            id="edit-orgCode"
            options={orgOptions}
            value={values.orgCode}
            onChange={(orgCode) => change('orgCode', orgCode)}
            invalid={Boolean(errors.fields.orgCode)}
            describedBy={errors.fields.orgCode ? 'edit-orgCode-error' : undefined}
            placeholder={ui('admin.orgPlaceholder')}
          />
        </div>
        <div className="field checkbox">
          <input
            id="edit-active"
            type="checkbox"
            checked={values.active}
            onChange={(e) => change('active', e.target.checked)}
            {...errorAria('edit-active', errors.fields.active)}
          />
          <FieldLabel
            htmlFor="edit-active"
            text={ui('admin.activeToggle')}
            error={errors.fields.active}
          />
        </div>
        <TextField
          id="edit-password"
          label={ui('admin.resetPassword')}
          type="password"
          value={values.password}
          onValueChange={(password) => change('password', password)}
          error={errors.fields.password}
          autoComplete="new-password"
          aria-describedby="edit-password-hint"
        />
        <p className="muted" id="edit-password-hint">
          {ui('admin.resetHint')}
        </p>
        <FormError message={errors.form} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? ui('admin.saving') : ui('admin.save')}
          </button>
          <button type="button" className="secondary" onClick={() => edit(null)}>
            {ui('admin.backToCreate')}
          </button>
        </div>
      </form>
    </section>
  );
}

function RoleSelect({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: Role;
  onChange(role: Role): void;
  error: string | undefined;
}) {
  return (
    <div className="field">
      <FieldLabel htmlFor={id} text={ui('admin.role')} error={error} />
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as Role)}
        {...errorAria(id, error)}
      >
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {ROLE_NAMES[role]}
          </option>
        ))}
      </select>
    </div>
  );
}
