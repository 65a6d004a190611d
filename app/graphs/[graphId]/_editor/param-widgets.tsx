'use client';
import { useEffect, useState, type ComponentType } from 'react';
import { modelsMetaKey } from '../../../../nodes/_impl/models/model-meta';
import { useInstalledModelsStore } from './installed-models-store';
import { modelOptions, sliderRange, type ParamSpec, type WidgetKind } from './param-schema';
import { showToast } from './toast-store';
import { uploadImage, uploadedPreviews } from './upload';

export interface WidgetProps {
  spec: ParamSpec;
  /** The stored value, or undefined when the param is unset (its default applies). */
  value: unknown;
  onChange(value: unknown): void;
  invalid: boolean;
  /** Ids of elements that describe the control (a hint, an error), for aria-describedby. */
  describedBy?: string;
  /** Where a widget reports a failure of its own (an upload); a toast when absent. */
  reportError?(message: string): void;
}
type Widget = ComponentType<WidgetProps>;

/** The name, invalid state and description every widget's control carries. */
const labelled = (spec: ParamSpec, invalid: boolean | undefined, describedBy: string | undefined) => ({
  'aria-label': spec.name,
  'aria-invalid': invalid || undefined,
  'aria-describedby': describedBy,
});

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function NumberInput({ spec, value, onChange, invalid, describedBy, integer }: WidgetProps & { integer: boolean }) {
  const { minimum, maximum } = spec.schema;
  const current = num(value) ?? num(spec.schema.default);
  const [text, setText] = useState(current === undefined ? '' : String(current));
  useEffect(() => setText(current === undefined ? '' : String(current)), [current]);
  const range = sliderRange(spec.schema);
  const step = integer ? 1 : (spec.schema.multipleOf ?? (range && range.max - range.min <= 10 ? 0.01 : 0.1));
  const outOfRange = current !== undefined && ((minimum !== undefined && current < minimum) || (maximum !== undefined && current > maximum));
  const commit = (raw: string) => {
    setText(raw);
    if (raw.trim() === '') return onChange(undefined);
    const n = Number(raw);
    if (Number.isFinite(n) && (!integer || Number.isInteger(n))) onChange(n);
  };
  return (
    <div className="pw-number">
      {range && (
        <input
          type="range"
          className="nodrag pw-number__slider"
          aria-hidden="true"
          tabIndex={-1}
          min={range.min}
          max={range.max}
          step={step}
          value={current ?? range.min}
          onChange={(e) => commit(e.target.value)}
        />
      )}
      <input
        type="number"
        className="nodrag pw-number__input"
        aria-label={spec.name}
        aria-invalid={invalid || outOfRange || undefined}
        aria-describedby={describedBy}
        min={minimum}
        max={maximum}
        step={step}
        value={text}
        placeholder={current === undefined ? 'auto' : undefined}
        onChange={(e) => commit(e.target.value)}
        onBlur={() => setText(current === undefined ? '' : String(current))}
      />
    </div>
  );
}

const NumberWidget: Widget = (props) => <NumberInput {...props} integer={false} />;
const IntegerWidget: Widget = (props) => <NumberInput {...props} integer />;

const SeedWidget: Widget = (props) => (
  <div className="pw-row">
    <NumberInput {...props} integer />
    <button
      type="button"
      className="nodrag pw-icon-button"
      aria-label="Randomise"
      title={`Random ${props.spec.name}`}
      onClick={() => props.onChange(Math.floor(Math.random() * 2 ** 31))}
    >
      🎲
    </button>
  </div>
);

const SelectWidget: Widget = ({ spec, value, onChange, invalid, describedBy }) => {
  const options = spec.schema.enum ?? [];
  const current = value ?? spec.schema.default;
  const index = options.findIndex((o) => o === current);
  return (
    <select
      className="nodrag"
      {...labelled(spec, invalid, describedBy)}
      value={index < 0 ? '' : String(index)}
      onChange={(e) => onChange(e.target.value === '' ? undefined : options[Number(e.target.value)])}
    >
      {(index < 0 || !spec.required) && spec.schema.default === undefined && <option value="">—</option>}
      {options.map((o, i) => (
        <option key={String(o)} value={String(i)}>
          {String(o)}
        </option>
      ))}
    </select>
  );
};

const TextWidget: Widget = ({ spec, value, onChange, invalid, describedBy }) => (
  <input
    type="text"
    className="nodrag"
    {...labelled(spec, invalid, describedBy)}
    maxLength={spec.schema.maxLength}
    value={str(value) ?? str(spec.schema.default) ?? ''}
    onChange={(e) => onChange(e.target.value)}
  />
);

const TextareaWidget: Widget = ({ spec, value, onChange, invalid, describedBy }) => (
  <textarea
    className="nodrag nowheel"
    {...labelled(spec, invalid, describedBy)}
    rows={3}
    maxLength={spec.schema.maxLength}
    value={str(value) ?? str(spec.schema.default) ?? ''}
    onChange={(e) => onChange(e.target.value)}
  />
);

const BooleanWidget: Widget = ({ spec, value, onChange, invalid, describedBy }) => (
  <input
    type="checkbox"
    className="nodrag"
    {...labelled(spec, invalid, describedBy)}
    checked={typeof value === 'boolean' ? value : spec.schema.default === true}
    onChange={(e) => onChange(e.target.checked)}
  />
);

/** #RRGGBB from the picker; an alpha suffix (#RRGGBBAA) already in the value is kept. */
const ColorWidget: Widget = ({ spec, value, onChange, invalid, describedBy }) => {
  const current = str(value) ?? str(spec.schema.default) ?? '#000000';
  const rgb = /^#[0-9a-fA-F]{6}/.test(current) ? current.slice(0, 7) : '#000000';
  const alpha = current.length === 9 ? current.slice(7) : '';
  return (
    <div className="pw-row">
      <input
        type="color"
        className="nodrag"
        {...labelled(spec, invalid, describedBy)}
        value={rgb}
        onChange={(e) => onChange(e.target.value + alpha)}
      />
      <code className="pw-muted">{current}</code>
    </div>
  );
};

const ArtifactWidget: Widget = ({ spec, value, onChange, invalid, describedBy, reportError }) => {
  const sha = str(value) ?? '';
  const [busy, setBusy] = useState(false);
  // The hash whose server thumbnail failed to load: then only the hash text shows.
  const [broken, setBroken] = useState<string>();
  const preview = sha ? uploadedPreviews.get(sha) : undefined;
  const thumb = preview ?? (sha && broken !== sha ? `/api/uploads/${encodeURIComponent(sha)}` : undefined);
  return (
    <div className="pw-artifact">
      {thumb && <img className="pw-artifact__thumb" src={thumb} alt={`${spec.name} thumbnail`} onError={() => setBroken(sha)} />}
      <span className="pw-muted" title={sha || undefined}>
        {busy ? 'uploading…' : sha ? `${sha.slice(0, 10)}…` : 'no image'}
      </span>
      <label className="nodrag pw-button pw-file-button">
        {sha ? 'Replace' : 'Upload'}
        <input
          type="file"
          accept="image/*"
          className="pw-visually-hidden"
          {...labelled(spec, invalid, describedBy)}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            setBusy(true);
            try {
              onChange(await uploadImage(file));
            } catch (error) {
              const message = `upload failed: ${error instanceof Error ? error.message : String(error)}`;
              if (reportError) reportError(message);
              else showToast(message);
            } finally {
              setBusy(false);
            }
          }}
        />
      </label>
    </div>
  );
};

const FileWidget: Widget = ({ spec, value, onChange, invalid, describedBy }) => (
  <input
    type="text"
    className="nodrag"
    {...labelled(spec, invalid, describedBy)}
    placeholder="path/in/file-root.png"
    value={str(value) ?? str(spec.schema.default) ?? ''}
    onChange={(e) => onChange(e.target.value)}
  />
);

/** A param naming an installed model: a picker of the server's models of its kind (a text box if they cannot be listed). */
const ModelWidget: Widget = (props) => {
  const { spec, value, onChange, invalid, describedBy } = props;
  const kind = spec.schema[modelsMetaKey];
  const state = useInstalledModelsStore((s) => s.state);
  const load = useInstalledModelsStore((s) => s.load);
  useEffect(load, [load]);
  if (!kind || state.status === 'failed') return <TextWidget {...props} />;
  const current = str(value) ?? str(spec.schema.default);
  const options = modelOptions(state.status === 'ready' ? state.models[kind] : [], current);
  return (
    <select
      className="nodrag"
      {...labelled(spec, invalid, describedBy)}
      aria-busy={state.status === 'loading' || undefined}
      value={current ?? ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    >
      {!current && <option value="">—</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
};

/** Params whose schema the editor has no better widget for: edited as JSON. */
const JsonWidget: Widget = ({ spec, value, onChange, invalid, describedBy }) => {
  const shown = value ?? spec.schema.default;
  const [text, setText] = useState(shown === undefined ? '' : JSON.stringify(shown));
  const [bad, setBad] = useState(false);
  return (
    <textarea
      className="nodrag nowheel pw-mono"
      aria-label={spec.name}
      aria-invalid={invalid || bad || undefined}
      aria-describedby={describedBy}
      rows={2}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => {
        if (text.trim() === '') return onChange(undefined);
        try {
          onChange(JSON.parse(text));
          setBad(false);
        } catch {
          setBad(true);
        }
      }}
    />
  );
};

/** One widget per kind; a new kind without a widget does not compile. */
export const widgets: { [K in WidgetKind]: Widget } = {
  number: NumberWidget,
  integer: IntegerWidget,
  seed: SeedWidget,
  select: SelectWidget,
  text: TextWidget,
  textarea: TextareaWidget,
  boolean: BooleanWidget,
  color: ColorWidget,
  artifact: ArtifactWidget,
  file: FileWidget,
  model: ModelWidget,
  json: JsonWidget,
};
