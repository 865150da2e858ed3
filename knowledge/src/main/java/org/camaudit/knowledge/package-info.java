/**
 * Where camaudit's rule packs live: versioned data files under this package's resource folder,
 * each entry with its source. Code that reads them is in the rules module.
 */
package org.camaudit.knowledge;
