import { useNavigate, useParams } from "react-router-dom";

import { CommentForm } from "../../components/features/comments/CommentForm";
import { CommentList } from "../../components/features/comments/CommentList";
import { PostDetail } from "../../components/features/posts/PostDetail";
import { usePost } from "../../hooks/usePosts";
import { useIsSignedIn } from "../../hooks/useSession";
import { NotFoundPage } from "./NotFoundPage";

export function PostPage() {
  const { postId } = useParams();
  if (postId === undefined) {
    return <NotFoundPage />;
  }
  return <PostWithComments postId={postId} />;
}

function PostWithComments({ postId }: { postId: string }) {
  const post = usePost(postId);
  const signedIn = useIsSignedIn();
  const navigate = useNavigate();

  return (
    <div className="stack">
      <PostDetail postId={postId} onDeleted={() => navigate("/")} />
      {post.isSuccess && (
        <>
          <CommentList postId={postId} postAuthorId={post.data.author_id} />
          {signedIn && <CommentForm postId={postId} />}
        </>
      )}
    </div>
  );
}
