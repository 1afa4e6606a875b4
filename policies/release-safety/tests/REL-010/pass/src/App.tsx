import { useFlags } from "launchdarkly-react-client-sdk";

export function App() {
  const { darkMode } = useFlags();
  return render(darkMode, client.variation('checkout', false));
}
