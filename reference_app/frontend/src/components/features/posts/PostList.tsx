import { Link } from "react-router-dom";

import { usePosts } from "../../../hooks/usePosts";
import { errorMessage } from "../../../lib/errors";
import { formatDate } from "../../../lib/format";
import { Alert } from "../../ui/Alert";
import { Button } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { Spinner } from "../../ui/Spinner";

export function PostList({ offset, onPage }: { offset: number; onPage: (offset: number) => void }) {
  const posts = usePosts(offset);

  if (posts.isPending) {
    return <Spinner />;
  }
  if (posts.isError) {
    return <Alert message={errorMessage(posts.error)} />;
  }
  const { items, total, limit } = posts.data;
  if (items.length === 0) {
    return <p className="muted">No posts yet.</p>;
  }
  return (
    <div className="stack">
      {items.map((post) => (
        <Card as="article" key={post.id}>
          <h2>
            <Link to={`/posts/${post.id}`}>{post.title}</Link>
          </h2>
          <p className="muted">
            {post.author_name} · {formatDate(post.created_at)}
          </p>
        </Card>
      ))}
      <div className="row">
        <Button variant="secondary" disabled={offset === 0} onClick={() => onPage(offset - limit)}>
          Newer
        </Button>
        <Button
          variant="secondary"
          disabled={offset + limit >= total}
          onClick={() => onPage(offset + limit)}
        >
          Older
        </Button>
      </div>
    </div>
  );
}
