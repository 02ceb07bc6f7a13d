/**
 * The in-memory collection of audit entries. Lists are served from sorted indexes, one per
 * (organisation, sort field), built on first use and dropped when that organisation's entries change:
 * the gateway pages through ~15,000 entries with many concurrent requests, and re-sorting the whole
 * collection for each page would make the simulator, not the gateway, the bottleneck.
 *
 * A descending list is read from the end of the ascending index. Because ties are broken by `id` in the
 * same direction as the sort, descending order is exactly the ascending order reversed, so one index per
 * field serves both directions.
 */
import type { AuditEntry, AuditField } from './fields.js';

function compareBy(field: AuditField): (a: AuditEntry, b: AuditEntry) => number {
  // Plain code-unit comparison, not localeCompare: stable across machines, and ISO timestamps in one
  // format sort chronologically this way.
  return (a, b) => {
    const x = a[field];
    const y = b[field];
    if (x !== y) return x < y ? -1 : 1;
    if (a.id === b.id) return 0;
    return a.id < b.id ? -1 : 1;
  };
}

export interface PageRequest {
  organization: string;
  sort: AuditField;
  descending: boolean;
  /** Zero-based index of the first entry. */
  offset: number;
  limit: number;
}

export class AuditStore {
  readonly #byId = new Map<string, AuditEntry>();
  /** organisation → sort field → entries of that organisation in ascending order. */
  readonly #indexes = new Map<string, Map<AuditField, AuditEntry[]>>();

  get size(): number {
    return this.#byId.size;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** The entry with this id if it belongs to the organisation; other organisations' entries do not exist. */
  get(id: string, organization: string): AuditEntry | undefined {
    const entry = this.#byId.get(id);
    return entry?.organization === organization ? entry : undefined;
  }

  /** Adds or replaces an entry (matched by id). Entries are replaced whole, never mutated in place. */
  put(entry: AuditEntry): void {
    const previous = this.#byId.get(entry.id);
    if (previous !== undefined) this.#invalidate(previous.organization);
    this.#byId.set(entry.id, entry);
    this.#invalidate(entry.organization);
  }

  /** Removes an entry; true when it existed. */
  delete(id: string): boolean {
    const entry = this.#byId.get(id);
    if (entry === undefined) return false;
    this.#byId.delete(id);
    this.#invalidate(entry.organization);
    return true;
  }

  /** Every entry, in insertion order (for tests and tools, not for the API). */
  all(): AuditEntry[] {
    return [...this.#byId.values()];
  }

  /** One page of an organisation's entries in the requested order; `[]` past the end. */
  page(request: PageRequest): AuditEntry[] {
    const sorted = this.#index(request.organization, request.sort);
    const total = sorted.length;
    const start = Math.min(request.offset, total);
    const end = Math.min(request.offset + request.limit, total);
    if (!request.descending) return sorted.slice(start, end);
    return sorted.slice(total - end, total - start).reverse();
  }

  #index(organization: string, field: AuditField): AuditEntry[] {
    let byField = this.#indexes.get(organization);
    if (byField === undefined) {
      byField = new Map();
      this.#indexes.set(organization, byField);
    }
    let sorted = byField.get(field);
    if (sorted === undefined) {
      sorted = [];
      for (const entry of this.#byId.values()) if (entry.organization === organization) sorted.push(entry);
      sorted.sort(compareBy(field));
      byField.set(field, sorted);
    }
    return sorted;
  }

  #invalidate(organization: string): void {
    this.#indexes.delete(organization);
  }
}
