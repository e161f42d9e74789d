import type { FilterDefinition } from '../types.js';
import { COLLECTION_FILTERS } from './collections.js';
import { DATE_FILTERS } from './dates.js';
import { ENCODING_FILTERS } from './encoding.js';
import { GENERAL_FILTERS } from './general.js';
import { JQ_FILTERS } from './jq.js';
import { JSON_FILTERS } from './json.js';
import { NUMBER_FILTERS } from './numbers.js';
import { REGEX_FILTERS } from './regex.js';
import { STRING_FILTERS } from './strings.js';

/** Every filter, by family. */
export const FILTERS: readonly FilterDefinition[] = [
  ...GENERAL_FILTERS,
  ...STRING_FILTERS,
  ...REGEX_FILTERS,
  ...COLLECTION_FILTERS,
  ...NUMBER_FILTERS,
  ...ENCODING_FILTERS,
  ...JSON_FILTERS,
  ...JQ_FILTERS,
  ...DATE_FILTERS,
];
