/**
 * A minimal ONNX writer for tests: builds a graph in code and serialises it as an
 * ONNX ModelProto, with no protobuf dependency. Field numbers follow onnx/onnx.proto
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto,
 * TypeProto, TensorShapeProto, OperatorSetIdProto). Tensors are stored as
 * little-endian raw_data.
 *
 * ```ts
 * const g = new OnnxGraphBuilder('tiny');
 * g.input('x', 'float32', ['batch', 1, 'h', 'w']);
 * g.initializer('w', new Float32Array(9).fill(1), [1, 1, 3, 3]);
 * g.node('Conv', ['x', 'w'], ['y'], { pads: [1, 1, 1, 1] });
 * g.output('y', 'float32', ['batch', 1, 'h', 'w']);
 * writeFileSync(path, g.toModelBytes());
 * ```
 */

export type TensorElemType = 'float32' | 'int32' | 'int64';
/** A fixed size, or a symbolic name such as 'batch_size'. */
export type Dim = number | string;
export type TensorData = Float32Array | Int32Array | BigInt64Array;

/** TensorProto.DataType codes. */
const dataTypeCode: Record<TensorElemType, number> = { float32: 1, int32: 6, int64: 7 };

/** AttributeProto.AttributeType codes. */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

interface FloatAttr { kind: 'float'; value: number }
interface FloatsAttr { kind: 'floats'; value: readonly number[] }
interface TensorAttr { kind: 'tensor'; data: TensorData; dims: readonly number[] }

/**
 * A node attribute. Bare numbers and number arrays are ONNX ints (they must be
 * integers); strings are ONNX strings; floats and tensors go through `attr`.
 */
export type AttributeValue = number | readonly number[] | string | FloatAttr | FloatsAttr | TensorAttr;

/** Explicit float and tensor attributes, e.g. `{ alpha: attr.float(0.2) }`. */
export const attr = {
  float: (value: number): FloatAttr => ({ kind: 'float', value }),
  floats: (value: readonly number[]): FloatsAttr => ({ kind: 'floats', value }),
  tensor: (data: TensorData, dims: readonly number[]): TensorAttr => ({ kind: 'tensor', data, dims }),
};

/** Protobuf wire-format encoder for the handful of field kinds ONNX needs. */
class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  /** A varint field (wire type 0); negative values are 64-bit two's complement. */
  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  /** A 32-bit float field (wire type 5). */
  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(b);
    return this;
  }

  /** A length-delimited field (wire type 2). */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.parts.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of this.parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number | bigint): void {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.parts.push(Uint8Array.from(bytes));
  }
}

function elemTypeOf(data: TensorData): TensorElemType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'int64';
}

/** Little-endian bytes of a tensor, whatever the host's byte order. */
function rawData(data: TensorData): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else if (data instanceof Int32Array) data.forEach((v, i) => view.setInt32(i * 4, v, true));
  else data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return out;
}

/** TensorProto: dims=1, data_type=2, name=8, raw_data=9. */
function tensorProto(name: string, data: TensorData, dims: readonly number[]): ProtoWriter {
  const count = dims.reduce((n, d) => n * d, 1);
  if (count !== data.length) throw new RangeError(`tensor '${name}': dims [${dims}] hold ${count} values, data has ${data.length}`);
  const t = new ProtoWriter();
  for (const d of dims) t.int(1, d);
  t.int(2, dataTypeCode[elemTypeOf(data)]);
  if (name) t.string(8, name);
  return t.bytes(9, rawData(data));
}

/** ValueInfoProto{name=1, type=2} → TypeProto{tensor_type=1} → Tensor{elem_type=1, shape=2} → TensorShapeProto{dim=1}. */
function valueInfoProto(name: string, type: TensorElemType, dims: readonly Dim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, dataTypeCode[type]).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

/** AttributeProto: name=1, f=2, i=3, s=4, t=5, floats=7, ints=8, type=20. */
function attributeProto(name: string, value: AttributeValue): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  const integer = (v: number) => {
    if (!Number.isInteger(v)) throw new RangeError(`attribute '${name}': ${v} is not an integer; use attr.float`);
    return v;
  };
  if (typeof value === 'number') return a.int(3, integer(value)).int(20, AttrType.INT);
  if (typeof value === 'string') return a.string(4, value).int(20, AttrType.STRING);
  if (!('kind' in value)) {
    for (const v of value) a.int(8, integer(v));
    return a.int(20, AttrType.INTS);
  }
  switch (value.kind) {
    case 'float':
      return a.float(2, value.value).int(20, AttrType.FLOAT);
    case 'floats':
      for (const v of value.value) a.float(7, v);
      return a.int(20, AttrType.FLOATS);
    case 'tensor':
      return a.message(5, tensorProto('', value.data, value.dims)).int(20, AttrType.TENSOR);
  }
}

export interface ModelOptions {
  /** ONNX IR version (default 8). */
  irVersion?: number;
  /** Default-domain opset (default 17). */
  opset?: number;
  producerName?: string;
}

/** Builds one ONNX graph; nodes must be added in topological order. */
export class OnnxGraphBuilder {
  private readonly inputs: ProtoWriter[] = [];
  private readonly outputs: ProtoWriter[] = [];
  private readonly initializers: ProtoWriter[] = [];
  private readonly nodes: ProtoWriter[] = [];

  constructor(readonly name = 'graph') {}

  input(name: string, type: TensorElemType, dims: readonly Dim[]): this {
    this.inputs.push(valueInfoProto(name, type, dims));
    return this;
  }

  output(name: string, type: TensorElemType, dims: readonly Dim[]): this {
    this.outputs.push(valueInfoProto(name, type, dims));
    return this;
  }

  /** A constant tensor; its element type follows the typed array. */
  initializer(name: string, data: TensorData, dims: readonly number[]): this {
    this.initializers.push(tensorProto(name, data, dims));
    return this;
  }

  /** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5, domain=7 (default domain omitted). */
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Record<string, AttributeValue> = {}, name?: string): this {
    const n = new ProtoWriter();
    for (const i of inputs) n.string(1, i);
    for (const o of outputs) n.string(2, o);
    n.string(3, name ?? `${opType}_${this.nodes.length}`).string(4, opType);
    for (const [key, value] of Object.entries(attributes)) n.message(5, attributeProto(key, value));
    this.nodes.push(n);
    return this;
  }

  /** The serialised ModelProto: ir_version=1, producer_name=2, graph=7, opset_import=8. */
  toModelBytes({ irVersion = 8, opset = 17, producerName = 'pixelwire-test' }: ModelOptions = {}): Uint8Array {
    const graph = new ProtoWriter();
    for (const n of this.nodes) graph.message(1, n);
    graph.string(2, this.name);
    for (const t of this.initializers) graph.message(5, t);
    for (const i of this.inputs) graph.message(11, i);
    for (const o of this.outputs) graph.message(12, o);
    return new ProtoWriter()
      .int(1, irVersion)
      .string(2, producerName)
      .message(7, graph)
      .message(8, new ProtoWriter().int(2, opset)) // OperatorSetIdProto{domain=1 (omitted: default), version=2}
      .finish();
  }
}
