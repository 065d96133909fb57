import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { fetchCurrentUser, logIn, logOut, signUp } from "../lib/api/auth";
import { queryKeys } from "../lib/queryKeys";
import { useIsSignedIn } from "./useSession";

export function useCurrentUser() {
  const signedIn = useIsSignedIn();
  return useQuery({
    queryKey: queryKeys.currentUser,
    queryFn: fetchCurrentUser,
    enabled: signedIn,
  });
}

export function useSignUp() {
  return useMutation({ mutationFn: signUp });
}

export function useLogIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logIn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.currentUser }),
  });
}

export function useLogOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logOut,
    onSettled: () => queryClient.removeQueries({ queryKey: queryKeys.currentUser }),
  });
}
