'use client';
import { create } from 'zustand';
import { zCatalogueEntry, type CatalogueEntry } from '../../../../nodes/catalogue';
import type { InputKind, PortKind } from '../../../../nodes/ports';
import { paramHandlesOf } from './node-ports';
import { paramSpecs, type ParamSpec } from './param-schema';

/** A catalogue entry with what the editor derives from it once: param widgets and port kinds. */
export interface CatalogueItem {
  entry: CatalogueEntry;
  params: ParamSpec[];
  /** `any` on an input that takes every kind, and on an output of the kind that feeds its `sameAs` input (node-ports resolves it). */
  inputKinds: ReadonlyMap<string, InputKind>;
  outputKinds: ReadonlyMap<string, InputKind>;
  /** Target handles of the params a graph input may set: handle id → param name and the plain kind it takes. */
  paramHandles: ReadonlyMap<string, { param: string; kind: PortKind }>;
}

interface CatalogueState {
  items: CatalogueItem[];
  byType: ReadonlyMap<string, CatalogueItem>;
  /** Entries that failed validation at the boundary, with the reason. */
  rejected: string[];
  setEntries(raw: unknown[]): void;
}

export function catalogueItem(entry: CatalogueEntry): CatalogueItem {
  const params = paramSpecs(entry.params);
  return {
    entry,
    params,
    paramHandles: paramHandlesOf(params),
    inputKinds: new Map(entry.inputs.map((p) => [p.name, p.kind])),
    outputKinds: new Map(entry.outputs.map((p) => [p.name, p.kind])),
  };
}

/** The node catalogue, re-validated with zCatalogueEntry where it enters the browser. */
export const useCatalogueStore = create<CatalogueState>((set) => ({
  items: [],
  byType: new Map(),
  rejected: [],
  setEntries: (raw) => {
    const items: CatalogueItem[] = [];
    const rejected: string[] = [];
    raw.forEach((value, i) => {
      const parsed = zCatalogueEntry.safeParse(value);
      if (parsed.success) items.push(catalogueItem(parsed.data));
      else rejected.push(`catalogue entry ${i}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    });
    set({ items, byType: new Map(items.map((item) => [item.entry.type, item])), rejected });
  },
}));
