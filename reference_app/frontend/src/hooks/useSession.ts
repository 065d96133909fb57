import { useQuery } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";

import { restoreSession } from "../lib/api/auth";
import { queryKeys } from "../lib/queryKeys";
import { sessionStore } from "../stores/session";

export function useIsSignedIn(): boolean {
  const accessToken = useSyncExternalStore(sessionStore.subscribe, sessionStore.getAccessToken);
  return accessToken !== null;
}

/** Restores the session once at start-up; true once it is known whether there is one. */
export function useSessionRestored(): boolean {
  const { isFetched } = useQuery({
    queryKey: queryKeys.session,
    queryFn: restoreSession,
    staleTime: Infinity,
    retry: false,
  });
  return isFetched;
}
