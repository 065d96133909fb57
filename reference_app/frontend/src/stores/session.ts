// The session: the access token, in memory only. It is never written to localStorage or
// sessionStorage, where any script on the page could read it; a reload loses it, and the
// refresh cookie (HttpOnly, invisible to scripts) gets a new one from the API.

type Listener = () => void;

export interface SessionStore {
  getAccessToken(): string | null;
  setAccessToken(token: string | null): void;
  subscribe(listener: Listener): () => void;
}

export function createSessionStore(): SessionStore {
  let accessToken: string | null = null;
  const listeners = new Set<Listener>();
  return {
    getAccessToken: () => accessToken,
    setAccessToken(token) {
      accessToken = token;
      listeners.forEach((listener) => listener());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export const sessionStore = createSessionStore();
