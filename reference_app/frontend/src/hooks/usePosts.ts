import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { createPost, deletePost, fetchPost, fetchPosts, updatePost } from "../lib/api/posts";
import { queryKeys } from "../lib/queryKeys";
import type { PostInput } from "../types/api";

export function usePosts(offset: number) {
  return useQuery({
    queryKey: queryKeys.postPage(offset),
    queryFn: () => fetchPosts(offset),
    placeholderData: keepPreviousData,
  });
}

export function usePost(postId: string) {
  return useQuery({ queryKey: queryKeys.post(postId), queryFn: () => fetchPost(postId) });
}

export function useCreatePost() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createPost,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.posts }),
  });
}

export function useUpdatePost(postId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: Partial<PostInput>) => updatePost(postId, changes),
    onSuccess: (post) => {
      queryClient.setQueryData(queryKeys.post(postId), post);
      return queryClient.invalidateQueries({ queryKey: queryKeys.posts });
    },
  });
}

export function useDeletePost(postId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => deletePost(postId),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.post(postId) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.posts });
    },
  });
}
