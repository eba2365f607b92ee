package io.poolbench.traces.format.generic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.poolbench.traces.format.Ascii;
import io.poolbench.traces.format.Row;
import io.poolbench.traces.format.RowException;
import io.poolbench.traces.format.RowParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads JSON Lines, one object per line, taking each request field from the key a mapping names;
 * other keys are ignored. With {@link ColumnMapping#poolbench()} it reads what
 * {@link JsonlTraceWriter} writes, exactly. Optional {@code session_id}, {@code prefix_id} and
 * {@code prefix_tokens} keys become prefix-block ids as {@link PrefixColumns} derives them.
 */
public final class JsonlTraceReader implements RowParser {
  private static final JsonFactory JSON = new JsonFactory();

  private final ColumnMapping mapping;
  private final Map<String, String> categories = new HashMap<>();
  private final HashIdList hashIds = new HashIdList();
  private final PrefixColumns prefixes;

  public JsonlTraceReader(ColumnMapping mapping) {
    this.mapping = mapping;
    this.prefixes = new PrefixColumns(mapping);
  }

  @Override
  public boolean hasHeader() {
    return false;
  }

  @Override
  public void header(byte[] b, int start, int end) {
    throw new IllegalStateException("JSON Lines have no header");
  }

  @Override
  public void parse(byte[] b, int start, int end, Row row) throws RowException {
    boolean sawArrival = false;
    boolean sawPrompt = false;
    boolean sawOutput = false;
    String session = null;
    String prefixId = null;
    int prefixTokens = -1;
    try (JsonParser p = JSON.createParser(b, start, end - start)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RowException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken value = p.nextToken();
        if (key.equals(mapping.arrival())) {
          row.timeNanos = arrival(p, value);
          sawArrival = true;
        } else if (key.equals(mapping.prompt())) {
          row.promptTokens = count(p, value, key);
          sawPrompt = true;
        } else if (key.equals(mapping.output())) {
          row.outputTokens = count(p, value, key);
          sawOutput = true;
        } else if (key.equals(mapping.maxTokens()) && value != JsonToken.VALUE_NULL) {
          row.maxTokens = count(p, value, key);
        } else if (key.equals(mapping.category()) && value != JsonToken.VALUE_NULL) {
          row.category = category(p, value, key);
        } else if (key.equals(mapping.hashIds()) && value != JsonToken.VALUE_NULL) {
          row.prefixHashes = hashIds.read(p, value, key, b, start);
        } else if (key.equals(mapping.session()) && value != JsonToken.VALUE_NULL) {
          session = name(p, value, key, b, start);
        } else if (key.equals(mapping.prefixId()) && value != JsonToken.VALUE_NULL) {
          prefixId = name(p, value, key, b, start);
        } else if (key.equals(mapping.prefixTokens()) && value != JsonToken.VALUE_NULL) {
          prefixTokens = count(p, value, key);
        } else if (key.equals(ColumnMapping.IMAGES)) {
          row.images = count(p, value, key);
        } else if (key.equals(ColumnMapping.FAILED)) {
          if (!value.isBoolean()) {
            throw new RowException(key + " '" + p.getText() + "' is not true or false");
          }
          row.failedInSource = value == JsonToken.VALUE_TRUE;
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new RowException("not one JSON object per line");
      }
    } catch (JsonProcessingException e) {
      throw new RowException("not valid JSON (" + e.getOriginalMessage().lines().findFirst()
          .orElse("") + ")");
    } catch (IOException e) {
      throw new RowException("unreadable JSON (" + e.getMessage() + ")");
    }
    if (!sawArrival || !sawPrompt || !sawOutput) {
      String missing = !sawArrival ? mapping.arrival() : !sawPrompt ? mapping.prompt()
          : mapping.output();
      throw new RowException("missing key \"" + missing + "\"");
    }
    prefixes.apply(row, session, prefixId, prefixTokens);
  }

  private long arrival(JsonParser p, JsonToken value) throws IOException, RowException {
    String text = p.getText();
    boolean numeric = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
    if (mapping.arrivalUnit() != ArrivalUnit.ISO && value == JsonToken.VALUE_NUMBER_FLOAT
        && (text.indexOf('e') >= 0 || text.indexOf('E') >= 0)) {
      text = new BigDecimal(text).toPlainString(); // exponent notation: 1.7e3
    }
    if (!numeric && value != JsonToken.VALUE_STRING) {
      throw new RowException(mapping.arrival() + " '" + text + "' is not a number or a string");
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Arrivals.parse(bytes, 0, bytes.length, mapping.arrival(), mapping.arrivalUnit());
  }

  private static int count(JsonParser p, JsonToken value, String key)
      throws IOException, RowException {
    if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
        || p.getIntValue() < 0) {
      throw new RowException(key + " '" + p.getText() + "' is not a non-negative integer");
    }
    return p.getIntValue();
  }

  private String category(JsonParser p, JsonToken value, String key)
      throws IOException, RowException {
    if (value != JsonToken.VALUE_STRING) {
      throw new RowException(key + " '" + p.getText() + "' is not a string");
    }
    String text = p.getText();
    return categories.size() < 1024 ? categories.computeIfAbsent(text, t -> t) : text;
  }

  /** A session or prefix id: a string, or an integer taken as its decimal text. */
  private static String name(JsonParser p, JsonToken value, String key, byte[] b, int start)
      throws IOException, RowException {
    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NUMBER_INT) {
      int from = start + (int) p.currentTokenLocation().getByteOffset();
      p.finishToken();
      p.skipChildren();
      int to = start + (int) p.currentLocation().getByteOffset();
      throw new RowException(key + " '" + Ascii.quote(b, from, to) + "' is not a string");
    }
    return p.getText();
  }
}
