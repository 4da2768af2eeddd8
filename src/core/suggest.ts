/** "Did you mean…?" by edit distance (config/suggest.ts: the config suggests with it too). */
export { closest, distance } from '../config/suggest.ts';
