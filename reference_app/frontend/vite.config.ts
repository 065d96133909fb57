import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dev server proxies the API, so the app and the API share one origin: the refresh
// cookie (SameSite=Strict, Path=/api/v1/sessions) needs no CORS. Browsers accept its Secure
// flag on http://localhost; everywhere else the app is served over HTTPS.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
});
