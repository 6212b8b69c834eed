import type { InputHTMLAttributes, ReactNode, Ref } from 'react';

/** A label with the field's error under its text; the error is announced when it appears. */
export function FieldLabel({
  htmlFor,
  text,
  error,
}: {
  htmlFor: string;
  text: string;
  error?: string | undefined;
}) {
  return (
    <label htmlFor={htmlFor}>
      {text}
      {error ? (
        <span className="field-error" id={`${htmlFor}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}

/** aria attributes that tie a control to its error message. */
export function errorAria(id: string, error: string | undefined) {
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  } as const;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>;

interface TextFieldProps extends InputProps {
  id: string;
  label: string;
  value: string;
  onValueChange(value: string): void;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  grow?: boolean;
}

export function TextField({
  id,
  label,
  value,
  onValueChange,
  error,
  inputRef,
  grow,
  ...input
}: TextFieldProps) {
  return (
    <div className={grow ? 'field grow' : 'field'}>
      <FieldLabel htmlFor={id} text={label} error={error} />
      <input
        {...input}
        id={id}
        ref={inputRef}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={
          [error ? `${id}-error` : null, input['aria-describedby']].filter(Boolean).join(' ') ||
          undefined
        }
      />
    </div>
  );
}

/** The form-level message (what is not about one field), announced when it appears. */
export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null;
}

export function Notice({
  tone,
  children,
  role,
  id,
}: {
  tone: 'info' | 'warn' | 'success';
  children: ReactNode;
  role?: 'status' | 'alert';
  id?: string;
}) {
  return (
    <div className={`notice ${tone}`} role={role} id={id}>
      {children}
    </div>
  );
}
