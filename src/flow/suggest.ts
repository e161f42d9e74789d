/** "Did you mean" suggestions: shared with the expression language, which owns them. */
export { closestMatches, didYouMean, editDistance } from '../expr/suggest.js';
