/**
 * The constituent's record in Luminate Online's admin site, from
 * `LUMINATE_ADMIN_URL_TEMPLATE` (`{consId}` marks the id). Null when Luminate
 * gave no plain numeric constituent id, so no link can point anywhere odd.
 */
export function constituentAdminUrl(template: string, consId: string | null): string | null {
  if (!consId || !/^\d{1,20}$/.test(consId)) return null;
  return template.split('{consId}').join(consId);
}
