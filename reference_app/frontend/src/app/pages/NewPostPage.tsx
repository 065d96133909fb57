import { Navigate, useNavigate } from "react-router-dom";

import { NewPost } from "../../components/features/posts/NewPost";
import { useIsSignedIn } from "../../hooks/useSession";

export function NewPostPage() {
  const signedIn = useIsSignedIn();
  const navigate = useNavigate();

  if (!signedIn) {
    return <Navigate to="/login" replace />;
  }
  return <NewPost onCreated={(post) => navigate(`/posts/${post.id}`)} />;
}
