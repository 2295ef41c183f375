/** The API key lives in this tab's sessionStorage only: never a cookie, never a URL, gone with the tab. */
const KEY = 'wa-console-api-key';

export const keyStore = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string): void => sessionStorage.setItem(KEY, key),
  clear: (): void => sessionStorage.removeItem(KEY),
};
