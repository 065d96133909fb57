import { Link, useNavigate } from "react-router-dom";

import { useCurrentUser, useLogOut } from "../../../hooks/useAuth";
import { useIsSignedIn } from "../../../hooks/useSession";
import { Button } from "../../ui/Button";

export function SessionMenu() {
  const signedIn = useIsSignedIn();
  const currentUser = useCurrentUser();
  const logOut = useLogOut();
  const navigate = useNavigate();

  if (!signedIn) {
    return (
      <nav className="row">
        <Link to="/login">Log in</Link>
        <Link to="/signup">Sign up</Link>
      </nav>
    );
  }
  return (
    <nav className="row">
      <span className="muted">{currentUser.data?.display_name}</span>
      <Link to="/posts/new">Write a post</Link>
      <Button
        variant="secondary"
        disabled={logOut.isPending}
        onClick={() => logOut.mutate(undefined, { onSettled: () => navigate("/") })}
      >
        Log out
      </Button>
    </nav>
  );
}
