import { Link, Route, Routes } from "react-router-dom";

import { SessionMenu } from "../components/features/auth/SessionMenu";
import { Spinner } from "../components/ui/Spinner";
import { useSessionRestored } from "../hooks/useSession";
import { LogInPage } from "./pages/LogInPage";
import { NewPostPage } from "./pages/NewPostPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { PostPage } from "./pages/PostPage";
import { PostsPage } from "./pages/PostsPage";
import { SignUpPage } from "./pages/SignUpPage";

export function App() {
  const sessionRestored = useSessionRestored();

  return (
    <div className="layout stack">
      <header className="header">
        <Link to="/">
          <strong>Blog</strong>
        </Link>
        {sessionRestored && <SessionMenu />}
      </header>
      <main>
        {sessionRestored ? (
          <Routes>
            <Route path="/" element={<PostsPage />} />
            <Route path="/posts/new" element={<NewPostPage />} />
            <Route path="/posts/:postId" element={<PostPage />} />
            <Route path="/login" element={<LogInPage />} />
            <Route path="/signup" element={<SignUpPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        ) : (
          <Spinner />
        )}
      </main>
    </div>
  );
}
