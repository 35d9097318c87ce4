import catalogueJson from '../../../assets/process-catalogue.json' with { type: 'json' };
import { parseWith } from '../../common/validation';

import type { Catalogue } from './catalogue';
import { catalogueSchema } from './catalogue';

/** The process catalogue shipped in assets/, checked against its schema (bundled into main). */
export function builtInCatalogue(): Catalogue {
  const parsed = parseWith(catalogueSchema, catalogueJson, 'process-catalogue');
  if (!parsed.ok)
    throw new Error(`The process catalogue is damaged:\n${parsed.problems.join('\n')}`);
  return parsed.value;
}
