import { useFlags } from "launchdarkly-react-client-sdk";

export function App() {
  // The React SDK hands keys over in camelCase: `dark-mode` is `darkMode`.
  const { darkMode } = useFlags();
  // `new-checkout-page` is another flag, not `checkout`.
  return render(darkMode, client.variation("new-checkout-page", false));
}
