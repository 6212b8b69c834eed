import type { ComboOption } from '../ui/Combobox';
import { Combobox } from '../ui/Combobox';
import { FieldLabel } from '../ui/fields';
import { ui } from '../i18n';
import { comboProps, textProps, type IntakeBinding } from './binding';

/** Where: district, mahalle, address and, rarely, coordinates (folded away by default). */
export function PlaceFields({
  b,
  districtOptions,
  locationOpen,
  onLocationOpen,
}: {
  b: IntakeBinding;
  districtOptions: readonly ComboOption[];
  locationOpen: boolean;
  onLocationOpen(open: boolean): void;
}) {
  const { errors } = b;
  return (
    <>
      <div className="row">
        <div className="field">
          <FieldLabel
            htmlFor="sok-districtCode"
            text={ui('form.district')}
            error={errors.districtCode}
          />
          <Combobox {...comboProps(b, 'districtCode')} options={districtOptions} />
        </div>
        <div className="field grow">
          <FieldLabel htmlFor="sok-mahalle" text={ui('form.mahalle')} error={errors.mahalle} />
          <input {...textProps(b, 'mahalle')} autoComplete="off" />
        </div>
      </div>
      <div className="field">
        <FieldLabel htmlFor="sok-address" text={ui('form.address')} error={errors.address} />
        <input {...textProps(b, 'address')} autoComplete="off" />
      </div>
      <div className="disclosure">
        <button
          type="button"
          className="disclosure-toggle"
          aria-expanded={locationOpen}
          aria-controls="sok-location"
          onClick={() => onLocationOpen(!locationOpen)}
        >
          {ui('form.location')}
        </button>
        <div id="sok-location" className="disclosure-body" hidden={!locationOpen}>
          <div className="row">
            <div className="field">
              <FieldLabel
                htmlFor="sok-latitude"
                text={ui('form.latitude')}
                error={errors.latitude}
              />
              <input
                {...textProps(b, 'latitude')}
                type="number"
                step="any"
                min={-90}
                max={90}
                inputMode="decimal"
                autoComplete="off"
                aria-describedby={
                  [errors.latitude ? 'sok-latitude-error' : null, 'sok-location-hint']
                    .filter(Boolean)
                    .join(' ') || undefined
                }
              />
            </div>
            <div className="field">
              <FieldLabel
                htmlFor="sok-longitude"
                text={ui('form.longitude')}
                error={errors.longitude}
              />
              <input
                {...textProps(b, 'longitude')}
                type="number"
                step="any"
                min={-180}
                max={180}
                inputMode="decimal"
                autoComplete="off"
                aria-describedby={
                  [errors.longitude ? 'sok-longitude-error' : null, 'sok-location-hint']
                    .filter(Boolean)
                    .join(' ') || undefined
                }
              />
            </div>
          </div>
          <p className="field-hint" id="sok-location-hint">
            {ui('form.locationHint')}
          </p>
        </div>
      </div>
    </>
  );
}
