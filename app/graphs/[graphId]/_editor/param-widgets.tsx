'use client';
import { useEffect, useState, type ComponentType } from 'react';
import { modelsMetaKey, type DiffusionModelFacts } from '../../../../nodes/_impl/models/model-meta';
import { useInstalledModelsStore } from './installed-models-store';
import { classOptions, modelOptions, sliderRange, type ParamSpec, type WidgetKind } from './param-schema';
import { showToast } from './toast-store';
import { uploadImage, uploadedNames, uploadedPreviews } from './upload';
import { useUploadInfo } from './upload-info-store';

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
  /** The diffusion model the node uses, when the editor knows it (the class picker lists its classes). */
  modelFacts?: DiffusionModelFacts;
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

/** A die face drawn as SVG: no emoji, which renders as an empty box where no emoji font is installed. */
const DiceIcon = () => (
  <svg className="pw-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
    <rect x="1.5" y="1.5" width="13" height="13" rx="3" fill="none" stroke="currentColor" strokeWidth="1.5" />
    <circle cx="5" cy="5" r="1.3" fill="currentColor" />
    <circle cx="8" cy="8" r="1.3" fill="currentColor" />
    <circle cx="11" cy="11" r="1.3" fill="currentColor" />
  </svg>
);

const SeedWidget: Widget = (props) => (
  <div className="pw-row">
    <NumberInput {...props} integer />
    <button
      type="button"
      className="nodrag pw-icon-button"
      aria-label="Randomise"
      title={`Random ${props.spec.label ?? props.spec.name}`}
      onClick={() => props.onChange(Math.floor(Math.random() * 2 ** 31))}
    >
      <DiceIcon />
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

/** What an image param shows: its file name and size (never its hash), or what to do when there is no usable image. */
function artifactCaption(sha: string, busy: boolean, unavailable: boolean, info: ReturnType<typeof useUploadInfo>): { text: string; detail?: string; missing: boolean } {
  if (busy) return { text: 'uploading…', missing: false };
  if (!sha) return { text: 'choose an image', missing: true };
  if (unavailable) return { text: 'image not available: choose an image', missing: true };
  const ready = info?.status === 'ready' ? info : undefined;
  const size = ready?.width && ready.height ? `${ready.width}×${ready.height}` : undefined;
  const name = uploadedNames.get(sha) ?? ready?.fileName ?? undefined;
  if (name) return { text: name, detail: size, missing: false };
  return { text: info?.status === 'loading' ? '…' : size ? `uploaded image, ${size}` : 'uploaded image', missing: false };
}

const ArtifactWidget: Widget = ({ spec, value, onChange, invalid, describedBy, reportError }) => {
  const sha = str(value) ?? '';
  const [busy, setBusy] = useState(false);
  const info = useUploadInfo(sha);
  // The hash whose server thumbnail failed to load: it is not an image the viewer can use.
  const [broken, setBroken] = useState<string>();
  const preview = sha ? uploadedPreviews.get(sha) : undefined;
  const unavailable = !preview && (info?.status === 'unavailable' || broken === sha);
  const thumb = preview ?? (sha && !unavailable ? `/api/uploads/${encodeURIComponent(sha)}` : undefined);
  const caption = artifactCaption(sha, busy, unavailable, info);
  return (
    <div className="pw-artifact" data-missing={caption.missing || undefined}>
      {/* eslint-disable-next-line @next/next/no-img-element -- a blob URL of this tab's upload, or the API's thumbnail */}
      {thumb && <img className="pw-artifact__thumb" src={thumb} alt={`${spec.name} thumbnail`} onError={() => setBroken(sha)} />}
      <span className="pw-artifact__name" title={caption.detail ? `${caption.text} (${caption.detail})` : caption.text}>
        {caption.text}
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

/**
 * The class of a class-conditioned diffusion model: a picker of the classes in the model's
 * manifest (and unconditional); a text box while the node's model is not known here.
 */
const ClassLabelWidget: Widget = (props) => {
  const { spec, value, onChange, invalid, describedBy, modelFacts } = props;
  if (modelFacts?.conditioning !== 'class' || modelFacts.classes.length === 0) return <TextWidget {...props} />;
  const current = str(value) ?? str(spec.schema.default) ?? '';
  return (
    <select className="nodrag" {...labelled(spec, invalid, describedBy)} value={current} onChange={(e) => onChange(e.target.value)}>
      {classOptions(modelFacts.classes, current).map((o) => (
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
  'class-label': ClassLabelWidget,
  json: JsonWidget,
};
