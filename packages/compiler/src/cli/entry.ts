// The bundle entry of the `anneal` executable.
import { main } from "./main.js";

main();
