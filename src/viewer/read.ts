/** The viewer reads every share value through the one hostile-JSON reader (src/schema/read.ts). */
export { arr, get, isRec, num, opt, rec, str, text, type Rec } from "../schema/read.ts"
