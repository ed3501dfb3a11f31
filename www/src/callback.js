// The entry of callback.js: the OAuth callback alone (answer.js, the same code wl.js runs), for
// callback pages that load `callback.js` rather than `wl.js` (docs/loader.md).
import { answer } from "./answer.js";

answer(window);
