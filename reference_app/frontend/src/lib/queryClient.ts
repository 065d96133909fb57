import { QueryClient } from "@tanstack/react-query";

import { ApiError } from "./errors";

// Client errors (4xx) are answers, not glitches: retrying them would not help.
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      retry: (failureCount, error) =>
        !(error instanceof ApiError && error.status < 500) && failureCount < 2,
    },
  },
});
