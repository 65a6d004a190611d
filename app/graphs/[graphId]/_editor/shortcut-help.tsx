'use client';
import { Modal } from '../../../_components/modal';

export const shortcuts: [keys: string, action: string][] = [
  ['Double-click canvas, / or Space', 'Add a node (search or browse)'],
  ['Ctrl+Enter', 'Run (asks for the graph inputs the first time; then runs again with the same inputs)'],
  ['Ctrl+S', 'Save a version'],
  ['Ctrl+Z', 'Undo'],
  ['Ctrl+Shift+Z or Ctrl+Y', 'Redo'],
  ['Ctrl+C / Ctrl+V', 'Copy / paste selected nodes (between graphs and tabs too)'],
  ['Delete or Backspace', 'Delete the selection'],
  ['Ctrl+B or right-click › Bypass', 'Bypass the selected nodes (they pass their matching input on); again to stop'],
  ['Double-click or Alt+click a wire', 'Put a reroute point on it'],
  ['Shift+drag or Shift+click', 'Select several nodes'],
  ['Shift+L', 'Auto layout'],
  ['F', 'Add a frame'],
  ['Drop image files', 'Upload and add Load image nodes'],
  ['?', 'Show this help'],
  ['Escape', 'Close a dialog or the palette'],
];

/** The keyboard shortcut help ("?"), in the app's modal dialog. */
export function ShortcutHelp({ onClose }: { onClose(): void }) {
  return (
    <Modal open title="Keyboard shortcuts" onClose={onClose}>
      <div
        onKeyDown={(e) => {
          if (e.key === '?') onClose();
        }}
      >
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
        <button type="button" className="pw-button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </Modal>
  );
}
