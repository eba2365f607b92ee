package io.poolbench.traces.prompt;

/**
 * Word and character lists the grammars draw from: common English words written for this project
 * and frequently used Chinese characters (a frequency fact, not a corpus).
 */
final class WordLists {

  static final String[] FUNCTION = split("""
      the of and to in a is that for it with as on be by this are from at or an which can not we
      these has have more their its was will each when than also into only other such most
      between both after over under about through while where because before during without
      some many all any one two three several those there may should would could must often
      very still then just now here even much well""");

  static final String[] NOUNS = split("""
      system data model network server request memory time value process result design method
      question answer report market policy energy water city river mountain forest garden
      window door table chair kitchen family student teacher school library history science
      theory practice problem solution project budget price cost account customer service
      product feature version release update record file folder page letter message signal
      engine motor battery vehicle train station airport harbor bridge street village country
      region climate weather season winter summer morning evening journey story chapter author
      reader language grammar sentence paragraph council committee member leader manager
      worker engineer doctor patient hospital medicine health safety security privacy
      contract agreement decision strategy challenge opportunity growth change pattern
      structure surface material metal glass paper stone wood cotton silver garden orchard
      harvest grain bread coffee dinner breakfast recipe flavor music rhythm melody concert
      painting museum gallery camera picture screen keyboard device sensor circuit cable
      protocol packet router cluster instance queue buffer thread worker cache budget token
      context window capacity throughput latency workload traffic fleet pool threshold estimate
      ratio sample feedback error average variance planet ocean island desert valley canyon
      animal bird horse dog cat fish insect flower tree leaf branch root seed soil""");

  static final String[] VERBS = split("""
      reads writes builds sends receives measures returns changes improves reduces increases
      supports describes explains requires provides includes contains creates produces
      follows leads allows helps keeps starts stops moves grows falls rises opens closes
      carries holds shows finds brings takes makes gives uses needs wants expects covers
      reaches enters leaves crosses joins splits routes schedules handles serves stores loads
      compares selects assigns limits shapes protects prepares collects delivers replaces
      connects separates balances tracks counts records reports observes predicts estimates""");

  static final String[] ADJECTIVES = split("""
      large small long short new old early late high low strong weak simple complex quiet
      busy bright dark warm cold fast slow careful clear common rare local global public
      private recent modern ancient central regional national natural useful practical
      important different similar available possible likely certain stable steady sudden
      gradual careful formal general special typical average efficient reliable expensive
      cheap heavy light narrow wide deep shallow fresh clean green golden silent gentle
      rough smooth sharp broad precise accurate visible hidden open closed free fixed""");

  /** 256 distinct short words: the alphabet for the id-bearing opener of each segment. */
  static final String[] OPENER = firstDistinct(256, NOUNS, ADJECTIVES, VERBS);

  /** Frequently used Chinese characters (most are one token in cl100k_base). */
  static final String CJK_COMMON = """
      的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对\
      可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公\
      同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正\
      名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并\
      内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表\
      原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风\
      战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫\
      连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士\
      转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像\
      找友孩站广改议形委早房音火际则首单坐""";

  private WordLists() {}

  private static String[] split(String words) {
    return words.strip().split("\\s+");
  }

  private static String[] firstDistinct(int n, String[]... lists) {
    var seen = new java.util.LinkedHashSet<String>();
    for (String[] list : lists) {
      for (String w : list) {
        if (seen.size() < n) {
          seen.add(w);
        }
      }
    }
    if (seen.size() < n) {
      throw new IllegalStateException("only " + seen.size() + " distinct words, need " + n);
    }
    return seen.toArray(String[]::new);
  }
}
