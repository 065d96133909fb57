import { useSearchParams } from "react-router-dom";

import { PostList } from "../../components/features/posts/PostList";

export function PostsPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const offset = Math.max(0, Number(searchParams.get("offset")) || 0);

  return (
    <PostList
      offset={offset}
      onPage={(next) => setSearchParams(next > 0 ? { offset: String(next) } : {})}
    />
  );
}
