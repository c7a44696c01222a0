// Types for dependency-confusion-registries.js, which stays plain JavaScript so the fixture generator needs no build.
export interface CataloguePackage {
  readonly versions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly repository?: string;
}
export type Catalogue = Readonly<Record<'public' | 'private', Readonly<Record<string, CataloguePackage>>>>;
export const CATALOGUE_FILE: string;
export const PUBLIC_HOST_URL: string;
export const PRIVATE_HOST_URL: string;
export function readCatalogue(): Catalogue;
export function packumentsFor(
  packages: Readonly<Record<string, CataloguePackage>>,
  registryUrl: string,
): Record<string, { readonly full: unknown; readonly abbreviated: unknown }>;
