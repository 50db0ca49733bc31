/**
 * Preferred languages of a request: the `lang` parameter, else Accept-Language in q order.
 * Used by formats that carry one label per item (SDMX-JSON `name`); SDMX-ML carries all.
 */
export function preferredLanguages(langParam: unknown, acceptLanguage: string | undefined): string[] {
  if (typeof langParam === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/.test(langParam)) return [langParam.toLowerCase().split('-')[0] as string];
  if (!acceptLanguage) return ['en'];
  const ranked = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(';');
      const qParam = params.find((p) => p.trim().startsWith('q='));
      const q = qParam ? Number(qParam.trim().slice(2)) : 1;
      return { lang: (tag ?? '').trim().toLowerCase().split('-')[0] as string, q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((x) => x.lang && x.lang !== '*' && x.q > 0 && /^[a-z]{2,3}$/.test(x.lang))
    .sort((a, b) => b.q - a.q || a.order - b.order)
    .map((x) => x.lang);
  return ranked.length ? [...new Set([...ranked, 'en'])] : ['en'];
}
