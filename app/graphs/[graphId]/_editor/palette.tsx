'use client';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useCatalogueStore } from './catalogue-store';
import { fuzzyRank } from './fuzzy';
import { paletteEntries, type PaletteChoice, type PaletteEntry } from './palette-entries';
import { usePipelineStore } from './pipeline-store';

interface PaletteProps {
  /** Where to draw the palette, in pixels from the canvas's top-left corner. */
  left: number;
  top: number;
  /** The graph being edited: it is not offered as a pipeline of itself. */
  graphId: string | undefined;
  onPick(choice: PaletteChoice): void;
  onClose(): void;
  /** Offer only some entries (those compatible with a dragged connection), saying which under the search. */
  only?: { label: string; accepts(entry: PaletteEntry): boolean };
}

interface CategoryTree {
  name: string;
  path: string;
  children: CategoryTree[];
  items: PaletteEntry[];
}

function buildTree(items: PaletteEntry[]): CategoryTree {
  const root: CategoryTree = { name: '', path: '', children: [], items: [] };
  for (const item of items) {
    let node = root;
    for (const part of item.category.split('/').filter(Boolean)) {
      const path = node.path ? `${node.path}/${part}` : part;
      let child = node.children.find((c) => c.name === part);
      if (!child) {
        child = { name: part, path, children: [], items: [] };
        node.children.push(child);
      }
      node = child;
    }
    node.items.push(item);
  }
  return root;
}

function TreeBranch({ tree, onPick, openAll }: { tree: CategoryTree; onPick(item: PaletteEntry): void; openAll: boolean }) {
  return (
    <>
      {tree.children.map((child) => (
        <details key={child.path} open={openAll || child.path.split('/').length === 1} className="pw-palette__category">
          <summary>{child.name}</summary>
          <div className="pw-palette__branch">
            <TreeBranch tree={child} onPick={onPick} openAll={openAll} />
          </div>
        </details>
      ))}
      {tree.items.map((item) => (
        <button key={item.key} type="button" className="pw-palette__item" onClick={() => onPick(item)} title={item.description}>
          {item.title} <code className="pw-muted">{item.type}</code>
        </button>
      ))}
    </>
  );
}

/** Add-node palette: fuzzy search over title, type and category, or browse the category tree (nodes, graph inputs/outputs, pipelines). */
export function Palette({ left, top, graphId, onPick: onChoice, onClose, only }: PaletteProps) {
  const catalogue = useCatalogueStore((s) => s.items);
  const pipelines = usePipelineStore((s) => s.list);
  const items = useMemo(() => {
    const all = paletteEntries(catalogue, pipelines, graphId);
    return only ? all.filter(only.accepts) : all;
  }, [catalogue, pipelines, graphId, only]);
  const onPick = (entry: PaletteEntry) => onChoice(entry.choice);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const results = useMemo(() => fuzzyRank(query, items), [query, items]);
  const tree = useMemo(() => buildTree(items), [items]);
  const searching = query.trim() !== '';

  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') onClose();
    else if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const picked = results[active];
      if (picked) onPick(picked);
    }
  };

  return (
    <div className="pw-palette nodrag nowheel" style={{ left, top }} role="dialog" aria-label="Add node" onKeyDown={onKeyDown}>
      <input
        className="pw-palette__search"
        aria-label="Search nodes"
        placeholder="Search nodes…"
        autoFocus
        value={query}
        role="combobox"
        aria-expanded={searching}
        aria-controls="pw-palette-results"
        aria-activedescendant={searching && results[active] ? `pw-option-${active}` : undefined}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onBlur={(e) => {
          if (!e.currentTarget.parentElement?.contains(e.relatedTarget)) onClose();
        }}
      />
      {only && (
        <p className="pw-muted pw-palette__only" data-testid="palette-only">
          {only.label}
        </p>
      )}
      {searching ? (
        <div className="pw-palette__list" role="listbox" id="pw-palette-results" aria-label="Matching nodes">
          {results.length === 0 && <p className="pw-muted pw-palette__empty">No node matches “{query}”</p>}
          {results.map((item, i) => (
            <div
              key={item.key}
              id={`pw-option-${i}`}
              role="option"
              aria-selected={i === active}
              className="pw-palette__option"
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(item)}
            >
              {item.title} <span className="pw-muted">{item.category}</span>
            </div>
          ))}
        </div>
      ) : (
        <div className="pw-palette__list" onMouseDown={(e) => e.preventDefault()}>
          <TreeBranch tree={tree} onPick={onPick} openAll={items.length <= 40} />
        </div>
      )}
    </div>
  );
}
