// The bench's Microsoft Graph Toolkit page, bundled by esbuild into one file
// (`cargo xtask bench --only firstframe`): the global provider is MGT's MockProvider, signed out,
// so nothing goes to the network; then the two components the page uses are registered.
//
// MGT's mock graph asks a Microsoft endpoint for its proxy's address when it is created, even
// signed out, unless the address is in sessionStorage already: it is put there (MGT's own
// fallback address), so the page makes no request off this machine.
import { MockProvider, Providers } from "@microsoft/mgt-element";
import {
  registerMgtLoginComponent,
  registerMgtPersonComponent,
} from "@microsoft/mgt-components";

sessionStorage.setItem("endpointURL", "https://graph.office.net/en-us/graph/api/proxy?url=");
Providers.globalProvider = new MockProvider(false);
registerMgtLoginComponent();
registerMgtPersonComponent();
