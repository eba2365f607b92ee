package io.poolbench.traces;

import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Names the place of a configuration error the way users read their files: {@code pools[1].name},
 * so that every config loader (fleet files, router files) reports the same key paths.
 */
public final class ConfigPaths {

  private ConfigPaths() {}

  /** The key path of a Jackson mapping error, or {@code (top level)} when it has none. */
  public static String of(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      } else {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      }
    }
    return sb.isEmpty() ? "(top level)" : sb.toString();
  }
}
