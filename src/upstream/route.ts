/**
 * Route templates of upstream paths, for metrics labels and span names: bounded, never an id or a query string.
 */

/** An upstream path as a route template: numeric and 24-hex segments become `:id`. */
export function routeTemplate(path: string): string {
  const bare = path.split('?')[0] ?? '';
  return bare
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) || /^[0-9a-f]{24}$/i.test(segment) ? ':id' : segment))
    .join('/');
}
