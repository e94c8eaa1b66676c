#include "dnsbl/notice/language.h"

#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

// Category names by v1::Category (UNSPECIFIED ... OTHER).
constexpr const char* kEnglishCategories[10] = {
    "unspecified listing", "open mail relay",
    "open proxy",          "exploited host (malware, bot)",
    "spam source",         "policy listing",
    "Tor exit node",       "source of attacks (brute force, scanning)",
    "allowlisted",         "other listing"};

constexpr const char* kEnglishCategoriesInSentence[10] = {
    "an unspecified listing",
    "an open mail relay",
    "an open proxy",
    "an exploited host (malware, bot)",
    "a spam source",
    "a policy listing",
    "a Tor exit node",
    "a source of attacks (brute force, scanning)",
    "allowlisted",
    "another listing"};

constexpr const char* kDanishCategories[10] = {
    "uspecificeret opførelse",
    "åbent mail relay",
    "åben proxy server",
    "kompromitteret maskine (malware, bot)",
    "kilde til spam",
    "politikliste",
    "Tor-exitnode",
    "kilde til angreb (brute force, skanning)",
    "hvidlistet",
    "anden opførelse"};

constexpr const char* kPortugueseCategories[10] = {
    "listagem não especificada",
    "servidor de correio aberto (\u201copen relay\u201d)",
    "servidor proxy aberto (\u201copen proxy\u201d)",
    "máquina comprometida (malware, bot)",
    "fonte de spam",
    "lista de política",
    "nó de saída Tor",
    "fonte de ataques (força bruta, varredura)",
    "lista de permissão",
    "outra listagem"};

constexpr NoticePhrases kEnglish = {
    kEnglishCategories,
    kEnglishCategoriesInSentence,
    "may be an open mail relay and an open proxy",
    "may be an open mail relay",
    "may be an open proxy",
    "is listed as %s",
    "; it is also listed as %s",
    "and",
    // explain_relay
    "An open mail relay is a mail server that passes on mail from anyone on "
    "the internet to anyone, not only for its own users. Spammers look for "
    "such servers and send their mail through them to hide where it comes "
    "from.",
    // explain_proxy
    "An open proxy is a server (HTTP, SOCKS or similar proxy software) that "
    "forwards connections from anyone on the internet to anyone. Spammers "
    "and attackers look for such servers and use them to hide where their "
    "traffic comes from.",
    // explain_relay_proxy
    "An open mail relay or open proxy is a server that lets any computer on "
    "the internet pass mail or other traffic through it to anyone. Spammers "
    "and attackers look for such servers and use them to hide where their "
    "traffic comes from.",
    // consequences
    "For you this means that others use your server and your bandwidth, that "
    "mail from your whole network may be refused while the address is "
    "listed, that recipients may think the spam comes from you, and that "
    "your provider may cut your connection.",
    "A host listed as exploited is typically infected with malware or under "
    "someone else's control (a bot); it may send spam or take part in attacks "
    "without its owner knowing.",
    "A host listed as a spam source has been seen sending unsolicited mail, "
    "to spam traps or to people who reported it.",
    "A host listed as a source of attacks has been seen scanning, trying "
    "passwords (brute force) or attacking other systems.",
    "A Tor exit node forwards traffic of the Tor network to the internet; "
    "abuse sent through Tor appears to come from it.",
    "Other listings are described by each database on its lookup page.",
    // remedy_relay
    "Please close it: configure your mail server to relay mail only for your "
    "own users and networks (authenticated submission, e.g. on port 587). "
    "Then test from outside your network that relaying is refused.",
    // remedy_proxy
    "Please close it: configure the proxy software (HTTP, SOCKS, ...) to "
    "accept connections only from your own clients, or turn it off if it is "
    "not needed. Then test from outside your network that proxying is "
    "refused.",
    // remedy_relay_proxy
    "Please close it: configure your mail server to relay mail only for your "
    "own users and networks (authenticated submission, e.g. on port 587), and "
    "configure proxy software (HTTP, SOCKS, ...) to accept connections only "
    "from your own clients. Then test from outside your network that "
    "relaying and proxying are refused.",
    "Please find and clean the affected machine (or reinstall it), change "
    "its passwords, and check how it was compromised.",
    "Please find out which software or account sends the mail (a compromised "
    "account or web form is common) and stop it.",
    "Please check the host for compromise and stop the traffic.",
    "If you run a Tor exit node on purpose, consider an exit policy that "
    "blocks the ports being abused (e.g. 25).",
    "Please read the database's explanation on its lookup page.",
    "listed as %s",
    "code",
    "the database's meaning: \"%s\"",
    "the database's reason: \"%s\"",
    "lookup",
    "via",
    "directly from each blocklist's own servers",
    "(re-confirmed; first found %s)",
    "Network",
    "allocated %s",
    "Abuse contact",
    "No abuse contact is known to the sources asked.",
    "Not available from %s",
    "Address",
    "Listed as",
    "Databases",
    "Abuse notice for %s: %s",
    "Abuse notice: %s IP addresses in your network",
    // template_one
    "Hello,\n"
    "\n"
    "Public blocklists that mail servers consult suggest that the IP address "
    "{address} {claim}. The address belongs to a network that, as far as the "
    "registries show, you operate or administer. This message says what was "
    "found, why it matters to you, and how to fix it.\n"
    "\n"
    "{explanation}\n"
    "\n"
    "{remedy}\n"
    "\n"
    "The evidence, as checked {checked}:\n"
    "\n"
    "{evidence}\n"
    "\n"
    "{network}\n"
    "\n",
    // template_many
    "Hello,\n"
    "\n"
    "Public blocklists that mail servers consult show that {address} in a "
    "network that, as far as the registries show, you operate or administer "
    "{claim}.\n"
    "\n"
    "{evidence}\n"
    "\n"
    "{explanation}\n"
    "\n"
    "{remedy}\n"
    "\n"
    "Checked {checked}.\n"
    "\n"
    "{network}\n"
    "\n",
    // closing
    "Each database's own lookup page, linked above, explains its listing and "
    "how to ask for removal once the problem is fixed. The full reports are "
    "attached as JSON.\n"
    "\n"
    "If you have questions about this notice, or believe it is mistaken, "
    "please reply to {reply_to}.\n",
    "%s IP addresses",
    "are listed as shown in the table below",
};

constexpr NoticePhrases kDanish = {
    kDanishCategories,
    kDanishCategories,
    "kan være et åbent mail relay og en åben proxy server",
    "kan være et åbent mail relay",
    "kan være en åben proxy server",
    "er opført som %s",
    "; den er også opført som %s",
    "og",
    "Et åbent mail relay er en mailserver, der videresender e-mail fra hvem "
    "som helst på internettet til hvem som helst, ikke kun for sine egne "
    "brugere. Afsendere af spam leder efter sådanne servere og sender deres "
    "e-mail gennem dem for at skjule, hvor den kommer fra.",
    "En åben proxy server er en server (HTTP-, SOCKS- eller lignende "
    "proxy-software), der videresender forbindelser fra hvem som helst på "
    "internettet til hvem som helst. Afsendere af spam og angribere leder "
    "efter sådanne servere og bruger dem til at skjule, hvor deres trafik "
    "kommer fra.",
    "Et åbent mail relay eller en åben proxy server er en server, der lader "
    "en hvilken som helst computer på internettet sende e-mail eller anden "
    "trafik videre gennem den til hvem som helst. Afsendere af spam og "
    "angribere leder efter sådanne servere og bruger dem til at skjule, hvor "
    "deres trafik kommer fra.",
    "For jer betyder det, at andre bruger jeres server og jeres båndbredde, "
    "at e-mail fra hele jeres netværk kan blive afvist, så længe adressen er "
    "opført, at modtagere kan tro, at spammen kommer fra jer, og at jeres "
    "internetudbyder kan lukke jeres forbindelse.",
    "En maskine, der er opført som kompromitteret, er typisk inficeret med "
    "malware eller styret af andre (en bot); den kan sende spam eller deltage "
    "i angreb, uden at ejeren ved det.",
    "En maskine, der er opført som kilde til spam, er set sende uanmodet "
    "e-mail, til spamfælder eller til personer, der har anmeldt den.",
    "En maskine, der er opført som kilde til angreb, er set skanne, prøve "
    "adgangskoder (brute force) eller angribe andre systemer.",
    "En Tor-exitnode sender trafik fra Tor-netværket videre til internettet; "
    "misbrug sendt gennem Tor ser ud til at komme fra den.",
    "Andre opførelser beskrives af hver database på dens opslagsside.",
    "Luk det venligst: indstil jeres mailserver til kun at videresende "
    "e-mail for jeres egne brugere og netværk (godkendt afsendelse, f.eks. på "
    "port 587). Test derefter udefra, at videresendelse bliver afvist.",
    "Luk den venligst: indstil proxy-softwaren (HTTP, SOCKS, ...) til kun at "
    "tage imod forbindelser fra jeres egne klienter, eller slå den fra, hvis "
    "den ikke bruges. Test derefter udefra, at proxy bliver afvist.",
    "Luk den venligst: indstil jeres mailserver til kun at videresende e-mail "
    "for jeres egne brugere og netværk (godkendt afsendelse, f.eks. på port "
    "587), og indstil proxy-software (HTTP, SOCKS, ...) til kun at tage imod "
    "forbindelser fra jeres egne klienter. Test derefter udefra, at "
    "videresendelse og proxy bliver afvist.",
    "Find og rens venligst den berørte maskine (eller geninstallér den), skift "
    "dens adgangskoder, og undersøg, hvordan den blev kompromitteret.",
    "Find venligst ud af, hvilket program eller hvilken konto der sender "
    "e-mailen (en kompromitteret konto eller en webformular er almindeligt), "
    "og stop den.",
    "Undersøg venligst maskinen for kompromittering, og stop trafikken.",
    "Driver I bevidst en Tor-exitnode, så overvej en exit-politik, der "
    "blokerer de porte, der misbruges (f.eks. 25).",
    "Læs venligst databasens forklaring på dens opslagsside.",
    "opført som %s",
    "kode",
    "databasens betydning, citeret: \"%s\"",
    "databasens begrundelse, citeret: \"%s\"",
    "opslag",
    "via",
    "direkte fra hver blokeringslistes egne servere",
    "(bekræftet igen; først fundet %s)",
    "Netværk",
    "tildelt %s",
    "Misbrugskontakt",
    "Kilderne kender ingen misbrugskontakt.",
    "Ikke tilgængelig fra %s",
    "Adresse",
    "Opført som",
    "Databaser",
    "Meddelelse om misbrug for %s: %s",
    "Meddelelse om misbrug: %s IP-adresser i jeres netværk",
    "Goddag,\n"
    "\n"
    "Offentlige blokeringslister, som mailservere slår op i, tyder på, at "
    "IP-adressen {address} {claim}. Adressen hører til et netværk, som I "
    "efter registrenes oplysninger driver eller administrerer. Denne e-mail "
    "fortæller, hvad der er fundet, hvorfor det har betydning for jer, og "
    "hvordan det rettes.\n"
    "\n"
    "{explanation}\n"
    "\n"
    "{remedy}\n"
    "\n"
    "Dokumentationen, som den blev kontrolleret {checked}:\n"
    "\n"
    "{evidence}\n"
    "\n"
    "{network}\n"
    "\n",
    "Goddag,\n"
    "\n"
    "Offentlige blokeringslister, som mailservere slår op i, viser, at "
    "{address} i et netværk, som I efter registrenes oplysninger driver eller "
    "administrerer, {claim}.\n"
    "\n"
    "{evidence}\n"
    "\n"
    "{explanation}\n"
    "\n"
    "{remedy}\n"
    "\n"
    "Kontrolleret {checked}.\n"
    "\n"
    "{network}\n"
    "\n",
    // closing
    "Hver databases egen opslagsside, som der er link til ovenfor, forklarer "
    "opførelsen, og hvordan man beder om at blive fjernet, når problemet er "
    "løst. De fulde rapporter er vedhæftet som JSON.\n"
    "\n"
    "Har I spørgsmål til denne meddelelse, eller mener I, at den er forkert, "
    "så svar venligst til {reply_to}.\n",
    "%s IP-adresser",
    "er opført som vist i tabellen nedenfor",
};

constexpr NoticePhrases kPortuguese = {
    kPortugueseCategories,
    kPortugueseCategories,
    "pode ser um servidor de correio aberto (\u201copen relay\u201d) e um "
    "servidor proxy aberto (\u201copen proxy\u201d)",
    "pode ser um servidor de correio aberto (\u201copen relay\u201d)",
    "pode ser um servidor proxy aberto (\u201copen proxy\u201d)",
    "está listado como %s",
    "; também está listado como %s",
    "e",
    "Um servidor de correio aberto (\u201copen relay\u201d) é um servidor "
    "de correio que encaminha mensagens de qualquer pessoa na Internet para "
    "qualquer destino, e não apenas de seus próprios usuários. Remetentes de "
    "spam procuram esses servidores e enviam suas mensagens por meio deles "
    "para esconder a origem.",
    "Um servidor proxy aberto (\u201copen proxy\u201d) é um servidor "
    "(software de proxy HTTP, SOCKS ou semelhante) que encaminha conexões de "
    "qualquer pessoa na Internet para qualquer destino. Remetentes de spam e "
    "atacantes procuram esses servidores e os usam para esconder a origem do "
    "seu tráfego.",
    "Um servidor de correio aberto (\u201copen relay\u201d) ou um servidor "
    "proxy aberto (\u201copen proxy\u201d) é um servidor que permite a "
    "qualquer computador na Internet enviar mensagens ou outro tráfego por "
    "meio dele para qualquer destino. Remetentes de spam e atacantes "
    "procuram esses servidores e os usam para esconder a origem do seu "
    "tráfego.",
    "Para vocês, isso significa que terceiros usam seu servidor e sua banda, "
    "que mensagens de toda a sua rede podem ser recusadas enquanto o "
    "endereço estiver listado, que os destinatários podem pensar que o spam "
    "vem de vocês e que seu provedor pode cancelar sua conexão.",
    "Uma máquina listada como comprometida normalmente está infectada por "
    "malware ou sob controle de terceiros (um bot); ela pode enviar spam ou "
    "participar de ataques sem que o dono saiba.",
    "Uma máquina listada como fonte de spam foi vista enviando mensagens não "
    "solicitadas, para armadilhas de spam ou para pessoas que a denunciaram.",
    "Uma máquina listada como fonte de ataques foi vista fazendo varreduras, "
    "tentando senhas (força bruta) ou atacando outros sistemas.",
    "Um nó de saída Tor encaminha tráfego da rede Tor para a Internet; "
    "abusos enviados pelo Tor parecem vir dele.",
    "As demais listagens são descritas por cada base de dados em sua página "
    "de consulta.",
    "Por favor, fechem-no: configurem o servidor de correio para encaminhar "
    "mensagens apenas de seus próprios usuários e redes (envio autenticado, "
    "por exemplo na porta 587). Depois, testem de fora da sua rede que o "
    "encaminhamento é recusado.",
    "Por favor, fechem-no: configurem o software de proxy (HTTP, SOCKS, ...) "
    "para aceitar conexões apenas de seus próprios clientes, ou desliguem-no "
    "se não for necessário. Depois, testem de fora da sua rede que o proxy é "
    "recusado.",
    "Por favor, fechem-no: configurem o servidor de correio para encaminhar "
    "mensagens apenas de seus próprios usuários e redes (envio autenticado, "
    "por exemplo na porta 587) e configurem o software de proxy (HTTP, "
    "SOCKS, ...) para aceitar conexões apenas de seus próprios clientes. "
    "Depois, testem de fora da sua rede que o encaminhamento e o proxy são "
    "recusados.",
    "Por favor, localizem e limpem a máquina afetada (ou reinstalem-na), "
    "troquem suas senhas e verifiquem como ela foi comprometida.",
    "Por favor, descubram qual programa ou conta envia as mensagens (uma "
    "conta comprometida ou um formulário web são comuns) e interrompam o "
    "envio.",
    "Por favor, verifiquem se a máquina foi comprometida e interrompam o "
    "tráfego.",
    "Se vocês operam um nó de saída Tor de propósito, considerem uma "
    "política de saída que bloqueie as portas abusadas (por exemplo, a 25).",
    "Por favor, leiam a explicação da base de dados em sua página de "
    "consulta.",
    "listado como %s",
    "código",
    "significado segundo a base de dados, citado: \"%s\"",
    "motivo segundo a base de dados, citado: \"%s\"",
    "consulta",
    "via",
    "diretamente nos servidores de cada lista de bloqueio",
    "(reconfirmado; encontrado pela primeira vez em %s)",
    "Rede",
    "alocado em %s",
    "Contato de abuso",
    "Nenhum contato de abuso é conhecido pelas fontes consultadas.",
    "Indisponível em %s",
    "Endereço",
    "Listado como",
    "Bases de dados",
    "Notificação de abuso para %s: %s",
    "Notificação de abuso: %s endereços IP em sua rede",
    "Prezados,\n"
    "\n"
    "Listas de bloqueio públicas, consultadas por servidores de correio "
    "eletrônico, indicam que o endereço IP {address} {claim}. O endereço "
    "pertence a uma rede que, segundo os registros, é operada ou "
    "administrada por vocês. Esta mensagem informa o que foi encontrado, por "
    "que isso importa para vocês e como corrigir.\n"
    "\n"
    "{explanation}\n"
    "\n"
    "{remedy}\n"
    "\n"
    "As evidências, conforme verificadas em {checked}:\n"
    "\n"
    "{evidence}\n"
    "\n"
    "{network}\n"
    "\n",
    "Prezados,\n"
    "\n"
    "Listas de bloqueio públicas, consultadas por servidores de correio "
    "eletrônico, mostram que {address} em uma rede que, segundo os "
    "registros, é operada ou administrada por vocês {claim}.\n"
    "\n"
    "{evidence}\n"
    "\n"
    "{explanation}\n"
    "\n"
    "{remedy}\n"
    "\n"
    "Verificado em {checked}.\n"
    "\n"
    "{network}\n"
    "\n",
    // closing
    "A página de consulta de cada base de dados, indicada acima, explica a "
    "listagem e como pedir a remoção depois que o problema for corrigido. Os "
    "relatórios completos seguem anexos em JSON.\n"
    "\n"
    "Em caso de dúvidas sobre esta notificação, ou se acreditarem que ela "
    "está equivocada, por favor respondam para {reply_to}.\n",
    "%s endereços IP",
    "estão listados conforme a tabela abaixo",
};

}  // namespace

absl::StatusOr<NoticeLanguage> ParseNoticeLanguage(absl::string_view code) {
  if (code == "en") return NoticeLanguage::kEnglish;
  if (code == "da") return NoticeLanguage::kDanish;
  if (code == "pt") return NoticeLanguage::kPortuguese;
  return absl::InvalidArgumentError(
      absl::StrCat("language ", QuoteInput(code), " is not one of en, da, pt"));
}

absl::string_view NoticeLanguageCode(NoticeLanguage language) {
  switch (language) {
    case NoticeLanguage::kDanish:
      return "da";
    case NoticeLanguage::kPortuguese:
      return "pt";
    case NoticeLanguage::kEnglish:
      break;
  }
  return "en";
}

const NoticePhrases& PhrasesFor(NoticeLanguage language) {
  switch (language) {
    case NoticeLanguage::kDanish:
      return kDanish;
    case NoticeLanguage::kPortuguese:
      return kPortuguese;
    case NoticeLanguage::kEnglish:
      break;
  }
  return kEnglish;
}

}  // namespace dnsbl
