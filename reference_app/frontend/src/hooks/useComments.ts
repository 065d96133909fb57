import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { createComment, deleteComment, fetchComments } from "../lib/api/comments";
import { queryKeys } from "../lib/queryKeys";
import type { CommentInput } from "../types/api";

export function useComments(postId: string) {
  return useQuery({
    queryKey: queryKeys.comments(postId),
    queryFn: () => fetchComments(postId),
  });
}

export function useCreateComment(postId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CommentInput) => createComment(postId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.comments(postId) }),
  });
}

export function useDeleteComment(postId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (commentId: string) => deleteComment(postId, commentId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.comments(postId) }),
  });
}
