'use client';
import { useEffect, useRef } from 'react';

export const shortcuts: [keys: string, action: string][] = [
  ['Double-click canvas, / or Space', 'Add a node (search or browse)'],
  ['Ctrl+Z', 'Undo'],
  ['Ctrl+Shift+Z or Ctrl+Y', 'Redo'],
  ['Ctrl+C / Ctrl+V', 'Copy / paste selected nodes (between graphs and tabs too)'],
  ['Delete or Backspace', 'Delete the selection'],
  ['Shift+drag or Shift+click', 'Select several nodes'],
  ['Shift+L', 'Auto layout'],
  ['F', 'Add a frame'],
  ['Drop image files', 'Upload and add Load image nodes'],
  ['?', 'Show this help'],
  ['Escape', 'Close a dialog or the palette'],
];

/** The keyboard shortcut overlay ("?"). */
export function ShortcutHelp({ onClose }: { onClose(): void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="pw-overlay" onMouseDown={onClose}>
      <div
        className="pw-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="pw-shortcuts-title"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape' || e.key === '?') onClose();
        }}
      >
        <h2 id="pw-shortcuts-title">Keyboard shortcuts</h2>
        <table className="pw-shortcuts">
          <tbody>
            {shortcuts.map(([keys, action]) => (
              <tr key={keys}>
                <th scope="row">
                  <kbd>{keys}</kbd>
                </th>
                <td>{action}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={closeRef} type="button" className="pw-button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
