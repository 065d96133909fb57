import { Link } from "react-router-dom";

import { Card } from "../../components/ui/Card";

export function NotFoundPage() {
  return (
    <Card>
      <h1>Not found</h1>
      <p>
        There is nothing here. <Link to="/">Back to the posts</Link>
      </p>
    </Card>
  );
}
