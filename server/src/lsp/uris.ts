import { pathToFileURL } from 'node:url';

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** The path of a document URI, for matching the `files` globs. */
export function pathOf(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

/** The path of a file URI, for finding its project file. */
export function filePathOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? pathOf(uri) : undefined;
}
