/**
 * The identification corpus and its scorer: real, labelled public records (knowledge/corpus) read
 * and checked line by line, run through the real identification engine and policy evaluation, and
 * scored per maker, field family, source family and label origin against a floor.
 */
package org.camaudit.rules.corpus;
