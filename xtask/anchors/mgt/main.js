// The bench's Microsoft Graph Toolkit page, bundled by esbuild into one file
// (`cargo xtask bench --only firstframe`): the global provider is MGT's MockProvider, signed out,
// so nothing goes to the network; then the two components the page uses are registered.
import { MockProvider, Providers } from "@microsoft/mgt-element";
import {
  registerMgtLoginComponent,
  registerMgtPersonComponent,
} from "@microsoft/mgt-components";

Providers.globalProvider = new MockProvider(false);
registerMgtLoginComponent();
registerMgtPersonComponent();
