/** A fresh node id from a type's last segment and a counter: image.blur → blur1, blur2, … */
export function nextNodeId(type: string, taken: ReadonlySet<string>): string {
  const last = type.split('.').pop() ?? 'node';
  const base = last.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 48) || 'node';
  for (let n = 1; ; n++) {
    const id = `${base}${n}`;
    if (!taken.has(id)) return id;
  }
}
