import { useNavigate } from "react-router-dom";

import { LogInForm } from "../../components/features/auth/LogInForm";

export function LogInPage() {
  const navigate = useNavigate();
  return <LogInForm onLoggedIn={() => navigate("/")} />;
}
