<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CommentItem</name>
    <message>
        <source>Double-click to write a note (Markdown)</source>
        <translation>Doppelklicken, um eine Notiz zu schreiben (Markdown)</translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Quellen</translation>
    </message>
    <message>
        <source>A checkpoint: a .safetensors file, a sharded or Hugging Face model folder, or an HDF5 checkpoint</source>
        <translation>Ein Checkpoint: eine .safetensors-Datei, ein aufgeteilter oder Hugging-Face-Modellordner oder ein HDF5-Checkpoint</translation>
    </message>
    <message>
        <source>The checkpoint file or model folder</source>
        <translation>Die Checkpoint-Datei oder der Modellordner</translation>
    </message>
    <message>
        <source>LoRA adapter</source>
        <translation>LoRA-Adapter</translation>
    </message>
    <message>
        <source>A PEFT LoRA adapter folder. On a model input it stands for its base plus its delta: connect the base it was trained on to that node&apos;s &apos;base&apos;</source>
        <translation>Ein PEFT-LoRA-Adapterordner. An einem Modelleingang steht er für seine Basis plus sein Delta: die Basis, auf der er trainiert wurde, mit &apos;base&apos; dieses Knotens verbinden</translation>
    </message>
    <message>
        <source>The adapter folder (adapter_config.json + weights)</source>
        <translation>Der Adapterordner (adapter_config.json + Gewichte)</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <source>Evaluation data: an HDF5 task file or a folder of them; or text tasks for language models, a JSON Lines file (.jsonl) or a folder of them</source>
        <translation>Auswertungsdaten: eine HDF5-Aufgabendatei oder ein Ordner davon; oder Textaufgaben für Sprachmodelle, eine JSON-Lines-Datei (.jsonl) oder ein Ordner davon</translation>
    </message>
    <message>
        <source>The task file or folder</source>
        <translation>Die Aufgabendatei oder der Ordner</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Zusammenführen</translation>
    </message>
    <message>
        <source>Weighted average of the inputs</source>
        <translation>Gewichteter Mittelwert der Eingänge</translation>
    </message>
    <message>
        <source>Not used by Linear: connect every model to &apos;models&apos;</source>
        <translation>Von Linear nicht verwendet: jedes Modell mit &apos;models&apos; verbinden</translation>
    </message>
    <message>
        <source>The models (or adapters of the base) to merge; a new input appears as the last one is connected</source>
        <translation>Die zusammenzuführenden Modelle (oder Adapter der Basis); ein neuer Eingang erscheint, sobald der letzte verbunden ist</translation>
    </message>
    <message>
        <source>Divide the merged result by the sum of the (agreeing) weights</source>
        <translation>Das zusammengeführte Ergebnis durch die Summe der (übereinstimmenden) Gewichte teilen</translation>
    </message>
    <message>
        <source>Values per input, per layer and per tensor, one rule per &apos;;&apos;: [models N:] NAME[@FILTER]=VALUE|grad(V0,V1,...); FILTER a regex or sub:TEXT (mergekit&apos;s substring); the first matching rule wins</source>
        <translation>Werte je Eingang, je Schicht und je Tensor, eine Regel je &apos;;&apos;: [models N:] NAME[@FILTER]=WERT|grad(V0,V1,...); FILTER ein regulärer Ausdruck oder sub:TEXT (mergekits Teilzeichenkette); die erste passende Regel gilt</translation>
    </message>
    <message>
        <source>Output layers as slices of the inputs (mergekit&apos;s slices): INPUT[START:END], sources of a slice by &apos;,&apos;, slices by &apos;;&apos;, INPUT a models number or base; empty: every layer</source>
        <translation>Ausgabeschichten als Abschnitte der Eingänge (mergekits slices): INPUT[START:END], Quellen eines Abschnitts durch &apos;,&apos;, Abschnitte durch &apos;;&apos;, INPUT eine models-Nummer oder base; leer: jede Schicht</translation>
    </message>
    <message>
        <source>The dtype the arithmetic runs in (mergekit&apos;s dtype); auto: the checkpoints&apos; own</source>
        <translation>Der dtype, in dem gerechnet wird (mergekits dtype); auto: der der Checkpoints</translation>
    </message>
    <message>
        <source>Where the output&apos;s vocabulary comes from (mergekit&apos;s tokenizer_source); model: the folder in tokenizer_model</source>
        <translation>Woher das Vokabular der Ausgabe stammt (mergekits tokenizer_source); model: der Ordner in tokenizer_model</translation>
    </message>
    <message>
        <source>The model folder whose tokenizer the output takes (tokenizer_source: model)</source>
        <translation>Der Modellordner, dessen Tokenizer die Ausgabe übernimmt (tokenizer_source: model)</translation>
    </message>
    <message>
        <source>Pad the vocabulary to a multiple of this (mergekit&apos;s tokenizer.pad_to_multiple_of); 0: no padding</source>
        <translation>Das Vokabular auf ein Vielfaches davon auffüllen (mergekits tokenizer.pad_to_multiple_of); 0: kein Auffüllen</translation>
    </message>
    <message>
        <source>The output&apos;s chat template: a name (chatml, llama3, ...), auto, or Jinja text; empty: the tokenizer&apos;s own</source>
        <translation>Die Chat-Vorlage der Ausgabe: ein Name (chatml, llama3, ...), auto oder Jinja-Text; leer: die des Tokenizers</translation>
    </message>
    <message>
        <source>Task arithmetic</source>
        <translation>Aufgabenarithmetik</translation>
    </message>
    <message>
        <source>Base plus the weighted sum of task vectors</source>
        <translation>Basis plus die gewichtete Summe der Aufgabenvektoren</translation>
    </message>
    <message>
        <source>The base model the inputs were fine-tuned from (required)</source>
        <translation>Das Basismodell, von dem aus die Eingänge feinabgestimmt wurden (erforderlich)</translation>
    </message>
    <message>
        <source>Scale of the merged task vector</source>
        <translation>Skalierung des zusammengeführten Aufgabenvektors</translation>
    </message>
    <message>
        <source>After pruning: true matches the L1 norm of the unpruned task vector (mergekit), inverse_density divides by the keep probability (DARE paper, PEFT); earlier spellings: none = false, l1 = true</source>
        <translation>Nach dem Ausdünnen: true gleicht die L1-Norm des unausgedünnten Aufgabenvektors an (mergekit), inverse_density teilt durch die Behaltenswahrscheinlichkeit (DARE-Paper, PEFT); frühere Schreibweisen: none = false, l1 = true</translation>
    </message>
    <message>
        <source>Accepted for mergekit recipes (a memory option there); no effect on the result</source>
        <translation>Für mergekit-Rezepte akzeptiert (dort eine Speicheroption); ohne Wirkung auf das Ergebnis</translation>
    </message>
    <message>
        <source>TIES</source>
        <translation>TIES</translation>
    </message>
    <message>
        <source>Magnitude-pruned task vectors with sign consensus</source>
        <translation>Nach Betrag ausgedünnte Aufgabenvektoren mit Vorzeichenkonsens</translation>
    </message>
    <message>
        <source>Fraction of each task vector kept by sparsification; one value, or one per input separated by commas</source>
        <translation>Anteil jedes Aufgabenvektors, der beim Ausdünnen bleibt; ein Wert oder einer je Eingang, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Sign election: sum elects on weighted task vectors and divides by the agreeing weights (mergekit); count_peft elects on unweighted ones and divides by the number of agreeing models (PEFT)</source>
        <translation>Vorzeichenwahl: sum wählt auf gewichteten Aufgabenvektoren und teilt durch die übereinstimmenden Gewichte (mergekit); count_peft wählt auf ungewichteten und teilt durch die Zahl übereinstimmender Modelle (PEFT)</translation>
    </message>
    <message>
        <source>DARE-TIES</source>
        <translation>DARE-TIES</translation>
    </message>
    <message>
        <source>Randomly pruned, rescaled task vectors with sign consensus</source>
        <translation>Zufällig ausgedünnte, neu skalierte Aufgabenvektoren mit Vorzeichenkonsens</translation>
    </message>
    <message>
        <source>Random pruning seed; the same seed gives bit-identical results</source>
        <translation>Startwert des zufälligen Ausdünnens; derselbe Startwert gibt bitgleiche Ergebnisse</translation>
    </message>
    <message>
        <source>DARE (linear)</source>
        <translation>DARE (linear)</translation>
    </message>
    <message>
        <source>Randomly pruned, rescaled task vectors, summed</source>
        <translation>Zufällig ausgedünnte, neu skalierte Aufgabenvektoren, summiert</translation>
    </message>
    <message>
        <source>Model Breadcrumbs</source>
        <translation>Model Breadcrumbs</translation>
    </message>
    <message>
        <source>Task vectors without their smallest and largest entries</source>
        <translation>Aufgabenvektoren ohne ihre kleinsten und größten Einträge</translation>
    </message>
    <message>
        <source>Breadcrumbs: fraction of the largest-magnitude entries dropped as outliers</source>
        <translation>Breadcrumbs: Anteil der betragsgrößten Einträge, die als Ausreißer entfallen</translation>
    </message>
    <message>
        <source>Breadcrumbs-TIES</source>
        <translation>Breadcrumbs-TIES</translation>
    </message>
    <message>
        <source>Breadcrumbs pruning with sign consensus</source>
        <translation>Breadcrumbs-Ausdünnung mit Vorzeichenkonsens</translation>
    </message>
    <message>
        <source>DELLA</source>
        <translation>DELLA</translation>
    </message>
    <message>
        <source>Magnitude-rank sampled task vectors with sign consensus</source>
        <translation>Nach Betragsrang gezogene Aufgabenvektoren mit Vorzeichenkonsens</translation>
    </message>
    <message>
        <source>DELLA: keep probabilities range over density ± epsilon by magnitude rank</source>
        <translation>DELLA: Behaltenswahrscheinlichkeiten reichen nach Betragsrang über density ± epsilon</translation>
    </message>
    <message>
        <source>DELLA (linear)</source>
        <translation>DELLA (linear)</translation>
    </message>
    <message>
        <source>Magnitude-rank sampled task vectors, summed</source>
        <translation>Nach Betragsrang gezogene Aufgabenvektoren, summiert</translation>
    </message>
    <message>
        <source>Magnitude prune</source>
        <translation>Betragsausdünnung</translation>
    </message>
    <message>
        <source>Magnitude-pruned task vectors, summed (PEFT)</source>
        <translation>Nach Betrag ausgedünnte Aufgabenvektoren, summiert (PEFT)</translation>
    </message>
    <message>
        <source>SLERP</source>
        <translation>SLERP</translation>
    </message>
    <message>
        <source>Spherical interpolation between two models (the base, when given, is the first)</source>
        <translation>Sphärische Interpolation zwischen zwei Modellen (die Basis, falls angegeben, ist das erste)</translation>
    </message>
    <message>
        <source>The base model (optional: with it, the method works on task vectors)</source>
        <translation>Das Basismodell (optional: damit arbeitet die Methode auf Aufgabenvektoren)</translation>
    </message>
    <message>
        <source>Interpolation factor: 0 gives the first input (or base), 1 the second</source>
        <translation>Interpolationsfaktor: 0 ergibt den ersten Eingang (oder die Basis), 1 den zweiten</translation>
    </message>
    <message>
        <source>NuSLERP</source>
        <translation>NuSLERP</translation>
    </message>
    <message>
        <source>Spherical interpolation of two models at t = w2/(w1+w2); of their task vectors with a base</source>
        <translation>Sphärische Interpolation zweier Modelle bei t = w2/(w1+w2); mit einer Basis die ihrer Aufgabenvektoren</translation>
    </message>
    <message>
        <source>nuslerp without flattening: interpolate the vectors along dim 0 instead of the last dimension</source>
        <translation>nuslerp ohne Abflachen: die Vektoren entlang Dimension 0 statt der letzten Dimension interpolieren</translation>
    </message>
    <message>
        <source>nuslerp: treat the whole tensor as one vector</source>
        <translation>nuslerp: den ganzen Tensor als einen Vektor behandeln</translation>
    </message>
    <message>
        <source>Multi-SLERP</source>
        <translation>Multi-SLERP</translation>
    </message>
    <message>
        <source>Spherical weighted mean of N models (tangent-space barycenter)</source>
        <translation>Sphärischer gewichteter Mittelwert von N Modellen (Schwerpunkt im Tangentialraum)</translation>
    </message>
    <message>
        <source>Divide the weights by their sum</source>
        <translation>Die Gewichte durch ihre Summe teilen</translation>
    </message>
    <message>
        <source>multislerp: added to the norms so that zero vectors do not divide by 0</source>
        <translation>multislerp: wird zu den Normen addiert, damit Nullvektoren nicht durch 0 teilen</translation>
    </message>
    <message>
        <source>Karcher mean</source>
        <translation>Karcher-Mittel</translation>
    </message>
    <message>
        <source>Spherical (Karcher) mean of the models, the base included, with equal weights; weighted: the weighted mean of the task vectors</source>
        <translation>Sphärisches (Karcher-)Mittel der Modelle einschließlich der Basis, mit gleichen Gewichten; weighted: das gewichtete Mittel der Aufgabenvektoren</translation>
    </message>
    <message>
        <source>Karcher mean: maximum iterations</source>
        <translation>Karcher-Mittel: höchstens so viele Iterationen</translation>
    </message>
    <message>
        <source>Karcher mean: convergence tolerance</source>
        <translation>Karcher-Mittel: Konvergenztoleranz</translation>
    </message>
    <message>
        <source>karcher: the weighted mean of the task vectors (Merganser&apos;s variant) instead of mergekit&apos;s equal-weight mean of the models and the base</source>
        <translation>karcher: das gewichtete Mittel der Aufgabenvektoren (Merganser-Variante) statt mergekits gleichgewichtetem Mittel der Modelle und der Basis</translation>
    </message>
    <message>
        <source>Model Stock</source>
        <translation>Model Stock</translation>
    </message>
    <message>
        <source>Moves the average of the inputs towards the base by their task vectors&apos; angle</source>
        <translation>Verschiebt den Mittelwert der Eingänge nach dem Winkel ihrer Aufgabenvektoren zur Basis hin</translation>
    </message>
    <message>
        <source>model_stock: one ratio per vector along the last dimension (a 1-D tensor is one vector) instead of one per tensor</source>
        <translation>model_stock: ein Verhältnis je Vektor entlang der letzten Dimension (ein 1-D-Tensor ist ein Vektor) statt eines je Tensor</translation>
    </message>
    <message>
        <source>SCE</source>
        <translation>SCE</translation>
    </message>
    <message>
        <source>Variance-selected task vectors, weighted by their energy, with sign consensus</source>
        <translation>Nach Varianz ausgewählte Aufgabenvektoren, nach ihrer Energie gewichtet, mit Vorzeichenkonsens</translation>
    </message>
    <message>
        <source>SCE: fraction of positions with the highest variance across inputs kept</source>
        <translation>SCE: Anteil der Positionen mit der höchsten Varianz über die Eingänge, der bleibt</translation>
    </message>
    <message>
        <source>NearSwap</source>
        <translation>NearSwap</translation>
    </message>
    <message>
        <source>The base, moved to the input&apos;s value where the two are closer than t</source>
        <translation>Die Basis, auf den Wert des Eingangs gesetzt, wo beide näher als t beieinander liegen</translation>
    </message>
    <message>
        <source>Distance below which the input&apos;s value replaces the base&apos;s; farther entries move towards it by t / distance</source>
        <translation>Abstand, unter dem der Wert des Eingangs den der Basis ersetzt; fernere Einträge bewegen sich um t / Abstand auf ihn zu</translation>
    </message>
    <message>
        <source>Arcee Fusion</source>
        <translation>Arcee Fusion</translation>
    </message>
    <message>
        <source>The base plus the input&apos;s changes of outlying importance (|change| times the KL divergence of the rows)</source>
        <translation>Die Basis plus die Änderungen des Eingangs von herausragender Bedeutung (|Änderung| mal KL-Divergenz der Zeilen)</translation>
    </message>
    <message>
        <source>RAM</source>
        <translation>RAM</translation>
    </message>
    <message>
        <source>Reinforced Agent Merging: task vector entries changed by one input kept, those changed by several averaged</source>
        <translation>Reinforced Agent Merging: von einem Eingang geänderte Einträge der Aufgabenvektoren bleiben, von mehreren geänderte werden gemittelt</translation>
    </message>
    <message>
        <source>RAM: a task vector entry counts as changed when its magnitude is above epsilon</source>
        <translation>RAM: ein Eintrag eines Aufgabenvektors gilt als geändert, wenn sein Betrag über epsilon liegt</translation>
    </message>
    <message>
        <source>RAM+ (tensor-local)</source>
        <translation>RAM+ (tensorlokal)</translation>
    </message>
    <message>
        <source>RAM with the entries only one input changed scaled up by the input&apos;s shared-to-unique ratio</source>
        <translation>RAM, wobei nur von einem Eingang geänderte Einträge mit dem Verhältnis von geteilten zu eigenen Einträgen des Eingangs hochskaliert werden</translation>
    </message>
    <message>
        <source>RAM+: strength of the rescaling of entries only one input changed</source>
        <translation>RAM+: Stärke der Neuskalierung der nur von einem Eingang geänderten Einträge</translation>
    </message>
    <message>
        <source>RAM+: bound of the shared-to-unique ratio in the rescaling</source>
        <translation>RAM+: Grenze des Verhältnisses geteilt zu eigen bei der Neuskalierung</translation>
    </message>
    <message>
        <source>Iso-C</source>
        <translation>Iso-C</translation>
    </message>
    <message>
        <source>Isotropic merging: the summed task vectors&apos; singular vectors with a flat spectrum (their mean singular value)</source>
        <translation>Isotropes Zusammenführen: die Singulärvektoren der summierten Aufgabenvektoren mit flachem Spektrum (ihr mittlerer Singulärwert)</translation>
    </message>
    <message>
        <source>Iso-CTS</source>
        <translation>Iso-CTS</translation>
    </message>
    <message>
        <source>Isotropic merging in the tasks&apos; common subspace plus each task&apos;s own directions, orthogonalised</source>
        <translation>Isotropes Zusammenführen im gemeinsamen Unterraum der Aufgaben plus die eigenen Richtungen jeder Aufgabe, orthogonalisiert</translation>
    </message>
    <message>
        <source>Iso-CTS: share of each matrix&apos;s rank given to the directions the tasks share; the rest is split equally among the tasks&apos; own directions</source>
        <translation>Iso-CTS: Anteil des Rangs jeder Matrix für die Richtungen, die die Aufgaben teilen; der Rest wird gleichmäßig auf die eigenen Richtungen der Aufgaben verteilt</translation>
    </message>
    <message>
        <source>TSV-M</source>
        <translation>TSV-M</translation>
    </message>
    <message>
        <source>Task Singular Vectors: each task vector&apos;s top singular vectors (1/T of the rank), decorrelated by orthogonal Procrustes</source>
        <translation>Task Singular Vectors: die obersten Singulärvektoren jedes Aufgabenvektors (1/T des Rangs), durch orthogonales Procrustes dekorreliert</translation>
    </message>
    <message>
        <source>TSV: each task vector&apos;s top singular vectors by a seeded randomized SVD instead of the exact one; much faster with many tasks, approximate</source>
        <translation>TSV: die obersten Singulärvektoren jedes Aufgabenvektors per zufallsbasierter SVD mit Startwert statt der exakten; bei vielen Aufgaben viel schneller, genähert</translation>
    </message>
    <message>
        <source>With randomized_svd: seed of the random test matrices; the same seed gives bit-identical results</source>
        <translation>Mit randomized_svd: Startwert der zufälligen Testmatrizen; derselbe Startwert gibt bitgleiche Ergebnisse</translation>
    </message>
    <message>
        <source>WUDI</source>
        <translation>WUDI</translation>
    </message>
    <message>
        <source>Task vectors optimised (Adam, from task arithmetic&apos;s sum) to interfere least with the inputs each task vector spans</source>
        <translation>Aufgabenvektoren, optimiert (Adam, ab der Summe der Aufgabenarithmetik), um die Eingänge, die jeder Aufgabenvektor aufspannt, am wenigsten zu stören</translation>
    </message>
    <message>
        <source>WUDI: Adam steps from task arithmetic&apos;s start (the paper&apos;s 300; 0 gives task arithmetic)</source>
        <translation>WUDI: Adam-Schritte ab dem Start der Aufgabenarithmetik (300 im Paper; 0 ergibt Aufgabenarithmetik)</translation>
    </message>
    <message>
        <source>WUDI: Adam&apos;s step size (the paper&apos;s 1e-5)</source>
        <translation>WUDI: Adams Schrittweite (1e-5 im Paper)</translation>
    </message>
    <message>
        <source>KnOTS</source>
        <translation>KnOTS</translation>
    </message>
    <message>
        <source>LoRA adapters aligned by a joint SVD of their updates, the aligned coefficients merged by TIES or task arithmetic</source>
        <translation>LoRA-Adapter, durch eine gemeinsame SVD ihrer Aktualisierungen ausgerichtet, die ausgerichteten Koeffizienten per TIES oder Aufgabenarithmetik zusammengeführt</translation>
    </message>
    <message>
        <source>KnOTS: how the adapters&apos; aligned coefficients are merged: ties (pruned to density, sign consensus) or task_arithmetic (their weighted sum)</source>
        <translation>KnOTS: wie die ausgerichteten Koeffizienten der Adapter zusammengeführt werden: ties (auf density ausgedünnt, Vorzeichenkonsens) oder task_arithmetic (ihre gewichtete Summe)</translation>
    </message>
    <message>
        <source>TIES (merge=ties): fraction of each adapter&apos;s aligned coefficients kept; one value, or one per input separated by commas</source>
        <translation>TIES (merge=ties): Anteil der ausgerichteten Koeffizienten jedes Adapters, der bleibt; ein Wert oder einer je Eingang, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Passthrough</source>
        <translation>Durchreichen</translation>
    </message>
    <message>
        <source>One input, optionally scaled (layer stacking and slices)</source>
        <translation>Ein Eingang, wahlweise skaliert (Schichtstapelung und Abschnitte)</translation>
    </message>
    <message>
        <source>Not used by Passthrough: connect every model to &apos;models&apos;</source>
        <translation>Von Durchreichen nicht verwendet: jedes Modell mit &apos;models&apos; verbinden</translation>
    </message>
    <message>
        <source>Multiplier applied to the tensor</source>
        <translation>Auf den Tensor angewandter Faktor</translation>
    </message>
    <message>
        <source>Fisher merging</source>
        <translation>Fisher-Zusammenführung</translation>
    </message>
    <message>
        <source>Average weighted per parameter by each model&apos;s diagonal Fisher information on its own task&apos;s inputs</source>
        <translation>Mittelwert, je Parameter gewichtet mit der diagonalen Fisher-Information jedes Modells auf den Eingaben seiner eigenen Aufgabe</translation>
    </message>
    <message>
        <source>The base model the adapters among the inputs apply to (optional)</source>
        <translation>Das Basismodell, auf das die Adapter unter den Eingängen angewandt werden (optional)</translation>
    </message>
    <message>
        <source>Each model&apos;s task data: the task named after the model, else one task per model in order</source>
        <translation>Die Aufgabendaten jedes Modells: die nach dem Modell benannte Aufgabe, sonst eine Aufgabe je Modell der Reihe nach</translation>
    </message>
    <message>
        <source>The models&apos; Fisher information from a Fisher information node (the same models in the same order); instead of computing it on &apos;tasks&apos;</source>
        <translation>Die Fisher-Information der Modelle aus einem Fisher-Information-Knoten (dieselben Modelle in derselben Reihenfolge); statt sie auf &apos;tasks&apos; zu berechnen</translation>
    </message>
    <message>
        <source>Fisher: floor of every Fisher value (per input), so parameters no task informs are the weighted average</source>
        <translation>Fisher: Untergrenze jedes Fisher-Werts (je Eingang), sodass Parameter, über die keine Aufgabe etwas aussagt, das gewichtete Mittel sind</translation>
    </message>
    <message>
        <source>Fisher, RegMean: inputs of each model&apos;s task its statistics are gathered on (evenly spaced over the task file)</source>
        <translation>Fisher, RegMean: Eingaben der Aufgabe jedes Modells, auf denen seine Statistiken gesammelt werden (gleichmäßig über die Aufgabendatei verteilt)</translation>
    </message>
    <message>
        <source>RegMean</source>
        <translation>RegMean</translation>
    </message>
    <message>
        <source>Each dense layer solved for the least-squares fit of every model&apos;s outputs on its task&apos;s inputs (Gram matrices); other tensors averaged</source>
        <translation>Jede dichte Schicht als Kleinste-Quadrate-Anpassung an die Ausgaben jedes Modells auf den Eingaben seiner Aufgabe gelöst (Gram-Matrizen); andere Tensoren gemittelt</translation>
    </message>
    <message>
        <source>RegMean: scale of the Gram matrices&apos; off-diagonal entries, in [0, 1] (1: exact least squares)</source>
        <translation>RegMean: Skalierung der Nichtdiagonaleinträge der Gram-Matrizen, in [0, 1] (1: exakte kleinste Quadrate)</translation>
    </message>
    <message>
        <source>Concatenate adapters</source>
        <translation>Adapter verketten</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>The exact weighted sum of LoRA adapters as one adapter whose rank is the sum of theirs; of IA³ adapters, PEFT&apos;s weighted merge (each module&apos;s vectors summed with the weights)</source>
        <translation>Die exakte gewichtete Summe von LoRA-Adaptern als ein Adapter, dessen Rang die Summe ihrer Ränge ist; bei IA³-Adaptern PEFTs gewichtete Zusammenführung (die Vektoren jedes Moduls mit den Gewichten summiert)</translation>
    </message>
    <message>
        <source>Adapters of one base model</source>
        <translation>Adapter eines Basismodells</translation>
    </message>
    <message>
        <source>SVD to LoRA</source>
        <translation>SVD zu LoRA</translation>
    </message>
    <message>
        <source>Truncated SVD of a delta (or of a high-rank adapter) to an adapter of at most the given rank</source>
        <translation>Abgeschnittene SVD eines Deltas (oder eines Adapters hohen Rangs) zu einem Adapter höchstens des angegebenen Rangs</translation>
    </message>
    <message>
        <source>A task vector or an adapter</source>
        <translation>Ein Aufgabenvektor oder ein Adapter</translation>
    </message>
    <message>
        <source>Largest rank per module</source>
        <translation>Größter Rang je Modul</translation>
    </message>
    <message>
        <source>Extract LoRA</source>
        <translation>LoRA extrahieren</translation>
    </message>
    <message>
        <source>The difference of a fine-tune from its base as a LoRA adapter (truncated SVD per weight matrix; changed biases and norms are kept whole)</source>
        <translation>Der Unterschied einer Feinabstimmung zu ihrer Basis als LoRA-Adapter (abgeschnittene SVD je Gewichtsmatrix; geänderte Biases und Normen bleiben ganz)</translation>
    </message>
    <message>
        <source>The base model</source>
        <translation>Das Basismodell</translation>
    </message>
    <message>
        <source>The fine-tuned model</source>
        <translation>Das feinabgestimmte Modell</translation>
    </message>
    <message>
        <source>Singular values at or below this are dropped</source>
        <translation>Singulärwerte bis zu diesem Wert entfallen</translation>
    </message>
    <message>
        <source>Merge as LoRA</source>
        <translation>Zusammenführung als LoRA</translation>
    </message>
    <message>
        <source>The result of a merge node as a LoRA adapter on its base: exact for KnOTS and for task arithmetic or linear merges of adapters, else a truncated SVD of its change at &apos;rank&apos;</source>
        <translation>Das Ergebnis eines Zusammenführungsknotens als LoRA-Adapter auf seiner Basis: exakt für KnOTS und für Aufgabenarithmetik oder lineare Zusammenführungen von Adaptern, sonst eine abgeschnittene SVD seiner Änderung bei &apos;rank&apos;</translation>
    </message>
    <message>
        <source>A merge node&apos;s output</source>
        <translation>Der Ausgang eines Zusammenführungsknotens</translation>
    </message>
    <message>
        <source>Largest rank per module when the merge is not low-rank by construction (truncated SVD); 0: only exact results are accepted</source>
        <translation>Größter Rang je Modul, wenn die Zusammenführung nicht schon durch ihre Konstruktion niedrigrangig ist (abgeschnittene SVD); 0: nur exakte Ergebnisse werden angenommen</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Skalieren</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Operatoren</translation>
    </message>
    <message>
        <source>A task vector multiplied by a factor</source>
        <translation>Ein Aufgabenvektor mal einem Faktor</translation>
    </message>
    <message>
        <source>The multiplier</source>
        <translation>Der Faktor</translation>
    </message>
    <message>
        <source>Add deltas</source>
        <translation>Deltas addieren</translation>
    </message>
    <message>
        <source>The base plus the weighted sum of task vectors</source>
        <translation>Die Basis plus die gewichtete Summe der Aufgabenvektoren</translation>
    </message>
    <message>
        <source>The model the deltas are added to</source>
        <translation>Das Modell, zu dem die Deltas addiert werden</translation>
    </message>
    <message>
        <source>Task vectors or adapters of the base</source>
        <translation>Aufgabenvektoren oder Adapter der Basis</translation>
    </message>
    <message>
        <source>Subtract</source>
        <translation>Subtrahieren</translation>
    </message>
    <message>
        <source>The task vector of a model: model − base</source>
        <translation>Der Aufgabenvektor eines Modells: Modell − Basis</translation>
    </message>
    <message>
        <source>A model fine-tuned from the base (or an adapter of it)</source>
        <translation>Ein von der Basis aus feinabgestimmtes Modell (oder ein Adapter davon)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Sinks</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>Writes a model: *.safetensors, *.h5, or a folder (sharded; a Hugging Face folder when the base is one). An adapter without a base is written as an adapter folder</source>
        <translation>Schreibt ein Modell: *.safetensors, *.h5 oder einen Ordner (aufgeteilt; ein Hugging-Face-Ordner, wenn die Basis einer ist). Ein Adapter ohne Basis wird als Adapterordner geschrieben</translation>
    </message>
    <message>
        <source>The model (or adapter) to write</source>
        <translation>Das zu schreibende Modell (oder der Adapter)</translation>
    </message>
    <message>
        <source>The base an adapter on &apos;model&apos; is applied to</source>
        <translation>Die Basis, auf die ein Adapter an &apos;model&apos; angewandt wird</translation>
    </message>
    <message>
        <source>Where to write: a .safetensors or .h5 file, or a folder</source>
        <translation>Wohin geschrieben wird: eine .safetensors- oder .h5-Datei oder ein Ordner</translation>
    </message>
    <message>
        <source>Cast floating tensors to this type; auto keeps each tensor&apos;s own</source>
        <translation>Gleitkommatensoren in diesen Typ umwandeln; auto behält den jedes Tensors</translation>
    </message>
    <message>
        <source>Largest shard of a folder export</source>
        <translation>Größter Teil eines Ordnerexports</translation>
    </message>
    <message>
        <source>Write even if some values are NaN or infinite (otherwise nothing is written)</source>
        <translation>Auch schreiben, wenn Werte NaN oder unendlich sind (sonst wird nichts geschrieben)</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Auswerten</translation>
    </message>
    <message>
        <source>Per-task accuracy and loss of a model on task data</source>
        <translation>Genauigkeit und Verlust eines Modells je Aufgabe auf Aufgabendaten</translation>
    </message>
    <message>
        <source>The model (or adapter) to evaluate</source>
        <translation>Das auszuwertende Modell (oder der Adapter)</translation>
    </message>
    <message>
        <source>The task data</source>
        <translation>Die Aufgabendaten</translation>
    </message>
    <message>
        <source>Examples per batch (language models: at most 8 sequences)</source>
        <translation>Beispiele je Stapel (Sprachmodelle: höchstens 8 Sequenzen)</translation>
    </message>
    <message>
        <source>A TorchScript archive of the model (its parameters are taken from the model input); empty: a built-in architecture, or the model.pt beside config.json</source>
        <translation>Ein TorchScript-Archiv des Modells (seine Parameter kommen vom Modelleingang); leer: eine eingebaute Architektur oder die model.pt neben config.json</translation>
    </message>
    <message>
        <source>Skip each task&apos;s examples before this one (0-based)</source>
        <translation>Die Beispiele jeder Aufgabe vor diesem überspringen (ab 0 gezählt)</translation>
    </message>
    <message>
        <source>Evaluate at most this many examples of each task; 0: all from first_example</source>
        <translation>Höchstens so viele Beispiele jeder Aufgabe auswerten; 0: alle ab first_example</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Per-task scores of several models side by side</source>
        <translation>Bewertungen mehrerer Modelle je Aufgabe nebeneinander</translation>
    </message>
    <message>
        <source>Scores of the models compared</source>
        <translation>Bewertungen der verglichenen Modelle</translation>
    </message>
    <message>
        <source>Absolute accuracy, or normalized by each task&apos;s specialist</source>
        <translation>Absolute Genauigkeit oder normiert durch den Spezialisten jeder Aufgabe</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Parameterscan</translation>
    </message>
    <message>
        <source>Per-task accuracy as one parameter (lambda, density, t) of a node upstream of an Evaluate node varies over a range: the graph up to the Evaluate node runs once per value</source>
        <translation>Genauigkeit je Aufgabe, während ein Parameter (lambda, density, t) eines Knotens vor einem Auswerten-Knoten einen Bereich durchläuft: der Graph bis zum Auswerten-Knoten läuft einmal je Wert</translation>
    </message>
    <message>
        <source>The scores of an Evaluate node</source>
        <translation>Die Bewertungen eines Auswerten-Knotens</translation>
    </message>
    <message>
        <source>The parameter to vary</source>
        <translation>Der zu variierende Parameter</translation>
    </message>
    <message>
        <source>The first value</source>
        <translation>Der erste Wert</translation>
    </message>
    <message>
        <source>The last value</source>
        <translation>Der letzte Wert</translation>
    </message>
    <message>
        <source>How many values, evenly spaced, ends included</source>
        <translation>Wie viele Werte, gleichmäßig verteilt, Enden eingeschlossen</translation>
    </message>
    <message>
        <source>The title of the node whose parameter varies; empty: the nearest one upstream of the Evaluate node that has the parameter</source>
        <translation>Der Titel des Knotens, dessen Parameter variiert; leer: der nächste vor dem Auswerten-Knoten, der den Parameter hat</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Searches the weights of the merge node upstream of an Evaluate node (greedy soup, CMA-ES or AdaMerging) on each task&apos;s first examples, reports the winner&apos;s score on the rest and can add the winner to the graph as a merge node</source>
        <translation>Sucht die Gewichte des Zusammenführungsknotens vor einem Auswerten-Knoten (Greedy Soup, CMA-ES oder AdaMerging) auf den ersten Beispielen jeder Aufgabe, meldet die Bewertung des Gewinners auf den übrigen und kann den Gewinner als Zusammenführungsknoten zum Graphen hinzufügen</translation>
    </message>
    <message>
        <source>The scores of an Evaluate node fed by a merge node</source>
        <translation>Die Bewertungen eines Auswerten-Knotens, der von einem Zusammenführungsknoten gespeist wird</translation>
    </message>
    <message>
        <source>Task data that scores the candidates (the Evaluate node&apos;s tasks then test the winner only); unconnected: each task&apos;s first validation_examples</source>
        <translation>Aufgabendaten, die die Kandidaten bewerten (die Aufgaben des Auswerten-Knotens testen dann nur den Gewinner); unverbunden: die ersten validation_examples jeder Aufgabe</translation>
    </message>
    <message>
        <source>cmaes: CMA-ES over the weights (and densities); greedy_soup: add models best first while validation does not drop; adamerging: task arithmetic&apos;s coefficients by entropy minimization on unlabelled inputs</source>
        <translation>cmaes: CMA-ES über die Gewichte (und Dichten); greedy_soup: Modelle, das beste zuerst, hinzufügen, solange die Validierung nicht sinkt; adamerging: die Koeffizienten der Aufgabenarithmetik durch Entropieminimierung auf unbeschrifteten Eingaben</translation>
    </message>
    <message>
        <source>The title of the merge node searched; empty: the nearest merge node upstream of the Evaluate node</source>
        <translation>Der Titel des durchsuchten Zusammenführungsknotens; leer: der nächste Zusammenführungsknoten vor dem Auswerten-Knoten</translation>
    </message>
    <message>
        <source>Evaluations for CMA-ES, steps for AdaMerging (a greedy soup takes 2n - 1)</source>
        <translation>Auswertungen für CMA-ES, Schritte für AdaMerging (eine Greedy Soup braucht 2n - 1)</translation>
    </message>
    <message>
        <source>Each task&apos;s first examples, which score candidates; the rest test the winner only</source>
        <translation>Die ersten Beispiele jeder Aufgabe, die Kandidaten bewerten; die übrigen testen nur den Gewinner</translation>
    </message>
    <message>
        <source>CMA-ES: the smallest weight</source>
        <translation>CMA-ES: das kleinste Gewicht</translation>
    </message>
    <message>
        <source>CMA-ES: the largest weight</source>
        <translation>CMA-ES: das größte Gewicht</translation>
    </message>
    <message>
        <source>CMA-ES: also search one density per model (methods with a density)</source>
        <translation>CMA-ES: auch eine Dichte je Modell suchen (Methoden mit Dichte)</translation>
    </message>
    <message>
        <source>AdaMerging: one coefficient per model and tensor (layer) or per model (task)</source>
        <translation>AdaMerging: ein Koeffizient je Modell und Tensor (layer) oder je Modell (task)</translation>
    </message>
    <message>
        <source>AdaMerging: Adam&apos;s step size (the paper&apos;s 0.001 for 500 steps; larger for fewer steps)</source>
        <translation>AdaMerging: Adams Schrittweite (0.001 für 500 Schritte im Paper; größer bei weniger Schritten)</translation>
    </message>
    <message>
        <source>AdaMerging: every coefficient&apos;s start (the paper&apos;s 0.3)</source>
        <translation>AdaMerging: Startwert jedes Koeffizienten (0.3 im Paper)</translation>
    </message>
    <message>
        <source>Seeds CMA-ES&apos;s samples and AdaMerging&apos;s batches</source>
        <translation>Startwert für die Stichproben von CMA-ES und die Stapel von AdaMerging</translation>
    </message>
    <message>
        <source>A file keeping every score, so that a stopped or extended search resumes without evaluating again; empty: kept for this session</source>
        <translation>Eine Datei, die jede Bewertung behält, sodass eine angehaltene oder erweiterte Suche ohne erneute Auswertung fortfährt; leer: für diese Sitzung behalten</translation>
    </message>
    <message>
        <source>Interference</source>
        <translation>Interferenz</translation>
    </message>
    <message>
        <source>How far each specialist moves the base model&apos;s features on every task&apos;s inputs: why a merge of specialists loses accuracy</source>
        <translation>Wie weit jeder Spezialist die Merkmale des Basismodells auf den Eingaben jeder Aufgabe verschiebt: warum eine Zusammenführung von Spezialisten an Genauigkeit verliert</translation>
    </message>
    <message>
        <source>The base model the specialists were made from</source>
        <translation>Das Basismodell, aus dem die Spezialisten entstanden</translation>
    </message>
    <message>
        <source>The tasks whose inputs are measured</source>
        <translation>Die Aufgaben, deren Eingaben gemessen werden</translation>
    </message>
    <message>
        <source>Specialists: adapters or fine-tunes of the base</source>
        <translation>Spezialisten: Adapter oder Feinabstimmungen der Basis</translation>
    </message>
    <message>
        <source>Inputs measured per task</source>
        <translation>Gemessene Eingaben je Aufgabe</translation>
    </message>
    <message>
        <source>Fisher information</source>
        <translation>Fisher-Information</translation>
    </message>
    <message>
        <source>Each model&apos;s diagonal Fisher information on its own task, summarised per tensor; its output feeds the &apos;statistics&apos; input of Fisher merges of the same models (it is also kept in the statistics cache, where Fisher merges computing their own read it)</source>
        <translation>Die diagonale Fisher-Information jedes Modells auf seiner eigenen Aufgabe, je Tensor zusammengefasst; ihr Ausgang speist den Eingang &apos;statistics&apos; von Fisher-Zusammenführungen derselben Modelle (sie liegt auch im Statistik-Cache, wo selbst rechnende Fisher-Zusammenführungen sie lesen)</translation>
    </message>
    <message>
        <source>The base model the adapters among the models apply to</source>
        <translation>Das Basismodell, auf das die Adapter unter den Modellen angewandt werden</translation>
    </message>
    <message>
        <source>The models (or adapters of the base)</source>
        <translation>Die Modelle (oder Adapter der Basis)</translation>
    </message>
    <message>
        <source>Inputs of each model&apos;s task the Fisher is estimated on (as a Fisher merge&apos;s examples)</source>
        <translation>Eingaben der Aufgabe jedes Modells, auf denen die Fisher-Information geschätzt wird (wie bei den Beispielen einer Fisher-Zusammenführung)</translation>
    </message>
    <message>
        <source>Embedding map</source>
        <translation>Einbettungskarte</translation>
    </message>
    <message>
        <source>Task embeddings of models and adapters, their similarities and a 2-D map</source>
        <translation>Aufgabeneinbettungen von Modellen und Adaptern, ihre Ähnlichkeiten und eine 2-D-Karte</translation>
    </message>
    <message>
        <source>The base model, for Fisher and data embeddings</source>
        <translation>Das Basismodell, für Fisher- und Dateneinbettungen</translation>
    </message>
    <message>
        <source>Task data, for Fisher and data embeddings</source>
        <translation>Aufgabendaten, für Fisher- und Dateneinbettungen</translation>
    </message>
    <message>
        <source>Models and adapters to embed</source>
        <translation>Einzubettende Modelle und Adapter</translation>
    </message>
    <message>
        <source>param: the task vectors themselves; fisher: Task2Vec on the tasks; data: mean representations of the tasks&apos; inputs</source>
        <translation>param: die Aufgabenvektoren selbst; fisher: Task2Vec auf den Aufgaben; data: mittlere Repräsentationen der Eingaben der Aufgaben</translation>
    </message>
    <message>
        <source>How the embeddings are drawn in 2-D</source>
        <translation>Wie die Einbettungen in 2-D gezeichnet werden</translation>
    </message>
    <message>
        <source>Values per parameter embedding (a seeded random sketch of each task vector); 0: the exact task vectors, for small models</source>
        <translation>Werte je Parametereinbettung (eine zufällige Skizze jedes Aufgabenvektors mit Startwert); 0: die exakten Aufgabenvektoren, für kleine Modelle</translation>
    </message>
    <message>
        <source>Seed of random sketches and t-SNE</source>
        <translation>Startwert der zufälligen Skizzen und von t-SNE</translation>
    </message>
    <message>
        <source>Merge gain</source>
        <translation>Zusammenführungsgewinn</translation>
    </message>
    <message>
        <source>For every pair of specialists: how alike their task vectors are (cosine) against what merging the two costs on their own tasks (merged accuracy minus the specialist&apos;s, in points). Each specialist&apos;s task is the one its name is or ends with (&apos;LoRA rotate&apos;: rotate)</source>
        <translation>Für jedes Paar von Spezialisten: wie ähnlich ihre Aufgabenvektoren sind (Kosinus) gegenüber dem, was das Zusammenführen der beiden auf ihren eigenen Aufgaben kostet (zusammengeführte Genauigkeit minus die des Spezialisten, in Punkten). Die Aufgabe jedes Spezialisten ist die, die sein Name ist oder mit der er endet (&apos;LoRA rotate&apos;: rotate)</translation>
    </message>
    <message>
        <source>The tasks the specialists are named after</source>
        <translation>Die Aufgaben, nach denen die Spezialisten benannt sind</translation>
    </message>
    <message>
        <source>Adapters, task vectors or fine-tunes of the base, at least two</source>
        <translation>Adapter, Aufgabenvektoren oder Feinabstimmungen der Basis, mindestens zwei</translation>
    </message>
    <message>
        <source>How each pair is merged (methods that need no data)</source>
        <translation>Wie jedes Paar zusammengeführt wird (Methoden, die keine Daten brauchen)</translation>
    </message>
    <message>
        <source>Scale of the merged task vector: 1 merges to the pair&apos;s mean, 2 to their sum</source>
        <translation>Skalierung des zusammengeführten Aufgabenvektors: 1 führt zum Mittelwert des Paars, 2 zu ihrer Summe</translation>
    </message>
    <message>
        <source>Fraction of each task vector kept by the sparsifying methods (ties, dare, ...)</source>
        <translation>Anteil jedes Aufgabenvektors, den die ausdünnenden Methoden behalten (ties, dare, ...)</translation>
    </message>
    <message>
        <source>Inputs evaluated per task</source>
        <translation>Ausgewertete Eingaben je Aufgabe</translation>
    </message>
    <message>
        <source>Router</source>
        <translation>Router</translation>
    </message>
    <message>
        <source>Routes each input among LoRA specialists of a base model (nearest task embedding, Arrow, a trained router or SMEAR) and scores the routed model per task, with how often each task&apos;s own specialist was chosen; on text tasks a language model&apos;s adapters, routed per example on the base&apos;s mean hidden state of its context, prompt or text (Arrow: classifiers only)</source>
        <translation>Leitet jede Eingabe an einen von mehreren LoRA-Spezialisten eines Basismodells (nächste Aufgabeneinbettung, Arrow, ein trainierter Router oder SMEAR) und bewertet das geroutete Modell je Aufgabe, mit der Häufigkeit, mit der der eigene Spezialist jeder Aufgabe gewählt wurde; auf Textaufgaben die Adapter eines Sprachmodells, je Beispiel nach dem mittleren verborgenen Zustand der Basis für Kontext, Prompt oder Text geroutet (Arrow: nur Klassifikatoren)</translation>
    </message>
    <message>
        <source>The base model the adapters were trained on</source>
        <translation>Das Basismodell, auf dem die Adapter trainiert wurden</translation>
    </message>
    <message>
        <source>Task data to score on; without &apos;fit&apos;, nearest, trained and smear also fit on the first examples of the tasks named after the adapters</source>
        <translation>Aufgabendaten zum Bewerten; ohne &apos;fit&apos; passen sich nearest, trained und smear auch an die ersten Beispiele der nach den Adaptern benannten Aufgaben an</translation>
    </message>
    <message>
        <source>Task data nearest, trained and smear fit on (validation examples), so that the scores on &apos;tasks&apos; are of examples the router never saw</source>
        <translation>Aufgabendaten, an die sich nearest, trained und smear anpassen (Validierungsbeispiele), sodass die Bewertungen auf &apos;tasks&apos; Beispiele betreffen, die der Router nie gesehen hat</translation>
    </message>
    <message>
        <source>The specialists, named by their folders</source>
        <translation>Die Spezialisten, benannt nach ihren Ordnern</translation>
    </message>
    <message>
        <source>nearest: cosine to each task&apos;s mean representation; arrow: data-free, top singular vectors of the adapters; trained: a linear router fitted on a few examples per task; smear: that router&apos;s probabilities average every adapter</source>
        <translation>nearest: Kosinus zur mittleren Repräsentation jeder Aufgabe; arrow: ohne Daten, oberste Singulärvektoren der Adapter; trained: ein linearer Router, an wenige Beispiele je Aufgabe angepasst; smear: die Wahrscheinlichkeiten dieses Routers mitteln alle Adapter</translation>
    </message>
    <message>
        <source>Adapters mixed per input (their updates weighted by a softmax); 0: all of them</source>
        <translation>Je Eingabe gemischte Adapter (ihre Aktualisierungen durch ein Softmax gewichtet); 0: alle</translation>
    </message>
    <message>
        <source>Of the softmax over the kept scores</source>
        <translation>Des Softmax über die behaltenen Bewertungen</translation>
    </message>
    <message>
        <source>Seed of the trained router and of Arrow</source>
        <translation>Startwert des trainierten Routers und von Arrow</translation>
    </message>
    <message>
        <source>Examples per task the nearest prototypes and the trained router see; 0: all</source>
        <translation>Beispiele je Aufgabe, die die nächsten Prototypen und der trainierte Router sehen; 0: alle</translation>
    </message>
    <message>
        <source>arrow: route at every adapted layer, or once per input on the layers&apos; summed scores</source>
        <translation>arrow: an jeder angepassten Schicht routen oder einmal je Eingabe nach den summierten Bewertungen der Schichten</translation>
    </message>
    <message>
        <source>Fine-tune</source>
        <translation>Feinabstimmung</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Trainieren</translation>
    </message>
    <message>
        <source>Trains a specialist of the base on task data: a LoRA or IA³ adapter (PEFT layout), or chosen tensors of the base (a model), with AdamW on k examples per class or task, scored on held-apart validation examples as it trains</source>
        <translation>Trainiert einen Spezialisten der Basis auf Aufgabendaten: einen LoRA- oder IA³-Adapter (PEFT-Layout) oder gewählte Tensoren der Basis (ein Modell), mit AdamW auf k Beispielen je Klasse oder Aufgabe, während des Trainings auf zurückgehaltenen Validierungsbeispielen bewertet</translation>
    </message>
    <message>
        <source>The model to fine-tune (a classifier or a causal language model)</source>
        <translation>Das feinabzustimmende Modell (ein Klassifikator oder ein kausales Sprachmodell)</translation>
    </message>
    <message>
        <source>Training data: task files (classifiers) or text tasks (language models); validation examples are held apart from them</source>
        <translation>Trainingsdaten: Aufgabendateien (Klassifikatoren) oder Textaufgaben (Sprachmodelle); Validierungsbeispiele werden davon zurückgehalten</translation>
    </message>
    <message>
        <source>An adapter of the same method to continue training</source>
        <translation>Ein Adapter derselben Methode, dessen Training fortgesetzt wird</translation>
    </message>
    <message>
        <source>The trained adapter (LoRA, IA³)</source>
        <translation>Der trainierte Adapter (LoRA, IA³)</translation>
    </message>
    <message>
        <source>The base with the adapter applied, or the fine-tuned model</source>
        <translation>Die Basis mit angewandtem Adapter oder das feinabgestimmte Modell</translation>
    </message>
    <message>
        <source>lora: low-rank updates; ia3: learned scaling vectors (T-Few); full: the chosen tensors themselves</source>
        <translation>lora: niedrigrangige Aktualisierungen; ia3: gelernte Skalierungsvektoren (T-Few); full: die gewählten Tensoren selbst</translation>
    </message>
    <message>
        <source>The tasks to train on, comma-separated; empty: every task of the input (a multi-task specialist)</source>
        <translation>Die zu trainierenden Aufgaben, durch Kommas getrennt; leer: jede Aufgabe des Eingangs (ein Spezialist für mehrere Aufgaben)</translation>
    </message>
    <message>
        <source>LoRA: the rank r of the update B·A</source>
        <translation>LoRA: der Rang r der Aktualisierung B·A</translation>
    </message>
    <message>
        <source>LoRA: the update is scaled by alpha / r</source>
        <translation>LoRA: die Aktualisierung wird mit alpha / r skaliert</translation>
    </message>
    <message>
        <source>LoRA: scale by alpha / √r instead (rank-stabilized LoRA)</source>
        <translation>LoRA: stattdessen mit alpha / √r skalieren (rangstabilisiertes LoRA)</translation>
    </message>
    <message>
        <source>LoRA: dropout on the update&apos;s input while training (language models)</source>
        <translation>LoRA: Dropout auf der Eingabe der Aktualisierung beim Training (Sprachmodelle)</translation>
    </message>
    <message>
        <source>Modules to adapt, comma-separated; a module matches when its name is an entry or ends with &apos;.&apos; and it; empty: the architecture&apos;s default (classifiers: the trunk; language models: q_proj, v_proj for LoRA, k_proj, v_proj, down_proj for IA³)</source>
        <translation>Anzupassende Module, durch Kommas getrennt; ein Modul passt, wenn sein Name ein Eintrag ist oder auf &apos;.&apos; und diesen endet; leer: die Vorgabe der Architektur (Klassifikatoren: der Rumpf; Sprachmodelle: q_proj, v_proj für LoRA, k_proj, v_proj, down_proj für IA³)</translation>
    </message>
    <message>
        <source>A regular expression over whole module names, used instead of target_modules</source>
        <translation>Ein regulärer Ausdruck über ganze Modulnamen, anstelle von target_modules</translation>
    </message>
    <message>
        <source>IA³: target modules whose input rather than output is scaled; empty: down_proj (mlp.c_proj)</source>
        <translation>IA³: Zielmodule, deren Eingabe statt Ausgabe skaliert wird; leer: down_proj (mlp.c_proj)</translation>
    </message>
    <message>
        <source>full: a regular expression over the tensor names that train; empty: the target modules&apos; tensors</source>
        <translation>full: ein regulärer Ausdruck über die Namen der trainierten Tensoren; leer: die Tensoren der Zielmodule</translation>
    </message>
    <message>
        <source>k: training examples per class (or per task); 0: every example not held apart</source>
        <translation>k: Trainingsbeispiele je Klasse (oder je Aufgabe); 0: jedes nicht zurückgehaltene Beispiel</translation>
    </message>
    <message>
        <source>What &apos;examples&apos; and &apos;validation_examples&apos; count</source>
        <translation>Was &apos;examples&apos; und &apos;validation_examples&apos; zählen</translation>
    </message>
    <message>
        <source>Examples per class (or task) held apart to score each checkpoint; 0: none, the last step is kept</source>
        <translation>Je Klasse (oder Aufgabe) zurückgehaltene Beispiele, um jeden Checkpoint zu bewerten; 0: keine, der letzte Schritt bleibt</translation>
    </message>
    <message>
        <source>Steps between validation scores</source>
        <translation>Schritte zwischen Validierungsbewertungen</translation>
    </message>
    <message>
        <source>Stop after this many validations without improvement; 0: train every step</source>
        <translation>Nach so vielen Validierungen ohne Verbesserung anhalten; 0: jeden Schritt trainieren</translation>
    </message>
    <message>
        <source>Language models on multiple-choice tasks: cross-entropy on the answer, plus T-Few&apos;s unlikelihood on wrong choices, its length-normalized choice loss, or both (tfew)</source>
        <translation>Sprachmodelle auf Multiple-Choice-Aufgaben: Kreuzentropie auf der Antwort, dazu T-Fews Unlikelihood auf falschen Antworten, sein längennormierter Auswahlverlust oder beides (tfew)</translation>
    </message>
    <message>
        <source>AdamW&apos;s peak step size</source>
        <translation>Höchste Schrittweite von AdamW</translation>
    </message>
    <message>
        <source>AdamW&apos;s decoupled weight decay</source>
        <translation>Entkoppelter Gewichtsverfall von AdamW</translation>
    </message>
    <message>
        <source>How the learning rate decays after the warm-up</source>
        <translation>Wie die Lernrate nach dem Aufwärmen abnimmt</translation>
    </message>
    <message>
        <source>Steps of linear warm-up from 0</source>
        <translation>Schritte linearen Aufwärmens ab 0</translation>
    </message>
    <message>
        <source>Examples per micro-batch</source>
        <translation>Beispiele je Mikrostapel</translation>
    </message>
    <message>
        <source>Optimizer steps (when epochs is 0)</source>
        <translation>Optimiererschritte (wenn epochs 0 ist)</translation>
    </message>
    <message>
        <source>Passes over the training examples; 0: use steps</source>
        <translation>Durchläufe über die Trainingsbeispiele; 0: steps verwenden</translation>
    </message>
    <message>
        <source>Micro-batches per optimizer step</source>
        <translation>Mikrostapel je Optimiererschritt</translation>
    </message>
    <message>
        <source>Seeds the example selection, initialization and batches</source>
        <translation>Startwert für Beispielauswahl, Initialisierung und Stapel</translation>
    </message>
    <message>
        <source>A folder the trained adapter (or model) is also written to, to share or load elsewhere; a cancelled run writes its best checkpoint there. Empty: the engine&apos;s cache only (a cancelled run&apos;s best checkpoint goes to the cache&apos;s checkpoints folder)</source>
        <translation>Ein Ordner, in den der trainierte Adapter (oder das Modell) zusätzlich geschrieben wird, um ihn zu teilen oder anderswo zu laden; ein abgebrochener Lauf schreibt dort seinen besten Checkpoint. Leer: nur der Cache der Engine (der beste Checkpoint eines abgebrochenen Laufs kommt in den Checkpoint-Ordner des Caches)</translation>
    </message>
    <message>
        <source>Feature interference</source>
        <translation>Merkmalsinterferenz</translation>
    </message>
    <message>
        <source>task vector similarity (cosine)</source>
        <translation>Ähnlichkeit der Aufgabenvektoren (Kosinus)</translation>
    </message>
    <message>
        <source>merge gain (accuracy points)</source>
        <translation>Zusammenführungsgewinn (Genauigkeitspunkte)</translation>
    </message>
    <message>
        <source>AdaMerging: entropy of the merged model&apos;s predictions on unlabelled inputs</source>
        <translation>AdaMerging: Entropie der Vorhersagen des zusammengeführten Modells auf unbeschrifteten Eingaben</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>entropy (nats)</source>
        <translation>Entropie (nats)</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>Kandidat</translation>
    </message>
    <message>
        <source>validation accuracy (%)</source>
        <translation>Validierungsgenauigkeit (%)</translation>
    </message>
    <message>
        <source>node type &apos;%1&apos; is unknown to this version (a newer Merganser or a plug-in that is not loaded): it is kept as it is but cannot run</source>
        <translation>Knotentyp „%1“ ist dieser Version unbekannt (ein neueres Merganser oder ein nicht geladenes Plug-in): er bleibt erhalten, kann aber nicht ausgeführt werden</translation>
    </message>
    <message>
        <source>is part of a cycle: a node cannot depend on its own result</source>
        <translation>ist Teil eines Zyklus: ein Knoten kann nicht von seinem eigenen Ergebnis abhängen</translation>
    </message>
    <message>
        <source>%1 is missing</source>
        <translation>%1 fehlt</translation>
    </message>
    <message>
        <source>%1 is not set</source>
        <translation>%1 ist nicht gesetzt</translation>
    </message>
    <message>
        <source>parameter &apos;%1&apos; is not one of %2&apos;s and is ignored</source>
        <translation>Parameter „%1“ gehört nicht zu %2 und wird ignoriert</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; is not connected</source>
        <translation>Eingang „%1“ ist nicht verbunden</translation>
    </message>
    <message>
        <source>no input is connected to &apos;%1&apos;</source>
        <translation>kein Eingang ist mit „%1“ verbunden</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; does not exist on %2</source>
        <translation>Eingang „%1“ gibt es bei %2 nicht</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; is fed by an output that does not exist</source>
        <translation>Eingang „%1“ wird von einem Ausgang gespeist, den es nicht gibt</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; takes a %2, not a %3</source>
        <translation>Eingang „%1“ nimmt %2, nicht %3</translation>
    </message>
    <message>
        <source>&apos;base&apos; needs a model, not an adapter: apply the adapter to its base first</source>
        <translation>&apos;base&apos; braucht ein Modell, keinen Adapter: den Adapter zuerst auf seine Basis anwenden</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; is an adapter: connect the base model it was trained on to &apos;base&apos;</source>
        <translation>Eingang „%1“ ist ein Adapter: das Basismodell, auf dem er trainiert wurde, mit &apos;base&apos; verbinden</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; is an adapter: %2 has no base to apply it to (add it to a base with a merge or Add deltas)</source>
        <translation>Eingang „%1“ ist ein Adapter: %2 hat keine Basis, auf die er angewandt werden kann (ihn mit einer Zusammenführung oder „Deltas addieren“ zu einer Basis hinzufügen)</translation>
    </message>
    <message>
        <source>%1 needs the base model: connect it to &apos;base&apos;</source>
        <translation>%1 braucht das Basismodell: es mit &apos;base&apos; verbinden</translation>
    </message>
    <message>
        <source>%1 does not use a base model: connect it to &apos;models&apos; as a weighted input</source>
        <translation>%1 verwendet kein Basismodell: es als gewichteten Eingang mit &apos;models&apos; verbinden</translation>
    </message>
</context>
<context>
    <name>FramePalette</name>
    <message>
        <source>Grey</source>
        <translation>Grau</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Rot</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>Orange</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Gelb</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Grün</translation>
    </message>
    <message>
        <source>Teal</source>
        <translation>Petrol</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Blau</translation>
    </message>
    <message>
        <source>Purple</source>
        <translation>Lila</translation>
    </message>
</context>
<context>
    <name>Numbers</name>
    <message>
        <source>%1%</source>
        <comment>a percentage; %1 is the number</comment>
        <translation>%1&#xa0;%</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Save the chart as an image or the table as CSV</source>
        <translation>Das Diagramm als Bild oder die Tabelle als CSV speichern</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Export nicht möglich</translation>
    </message>
    <message>
        <source>cluster %1</source>
        <translation>Cluster %1</translation>
    </message>
    <message>
        <source>no skill</source>
        <translation>keine Fähigkeit</translation>
    </message>
    <message>
        <source>skills %1</source>
        <translation>Fähigkeiten %1</translation>
    </message>
    <message>
        <source>nearest: %1</source>
        <translation>nächste: %1</translation>
    </message>
    <message>
        <source>Parameters (task vectors)</source>
        <translation>Parameter (Aufgabenvektoren)</translation>
    </message>
    <message>
        <source>Fisher (Task2Vec)</source>
        <translation>Fisher (Task2Vec)</translation>
    </message>
    <message>
        <source>Data (mean features)</source>
        <translation>Daten (mittlere Merkmale)</translation>
    </message>
    <message>
        <source>PCA</source>
        <translation>PCA</translation>
    </message>
    <message>
        <source>MDS</source>
        <translation>MDS</translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>no file chosen</source>
        <translation>keine Datei gewählt</translation>
    </message>
    <message>
        <source>unknown node type %1</source>
        <translation>unbekannter Knotentyp %1</translation>
    </message>
    <message>
        <source>output %1</source>
        <translation>Ausgang %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>Merganser projects (*.mgproj)</source>
        <translation>Merganser-Projekte (*.mgproj)</translation>
    </message>
    <message>
        <source>mergekit recipes (*.yml *.yaml)</source>
        <translation>mergekit-Rezepte (*.yml *.yaml)</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>Similarity (1 − Task2Vec distance), in clustering order</source>
        <translation>Ähnlichkeit (1 − Task2Vec-Abstand), in Clusterreihenfolge</translation>
    </message>
    <message>
        <source>Cosine similarity, in clustering order</source>
        <translation>Kosinus-Ähnlichkeit, in Clusterreihenfolge</translation>
    </message>
    <message>
        <source>Rows and columns follow the average-linkage clustering, so that close points sit together; 1 is identical</source>
        <translation>Zeilen und Spalten folgen der Average-Linkage-Clusterung, sodass nahe Punkte beieinander liegen; 1 bedeutet identisch</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>As the System</source>
        <translation>Wie das System</translation>
    </message>
</context>
<context>
    <name>mg::ui::AnnotationActions</name>
    <message>
        <source>&amp;Frame Selection</source>
        <translation>Auswahl &amp;einrahmen</translation>
    </message>
    <message>
        <source>A titled frame around the selected nodes; dragging it moves them together</source>
        <translation>Ein betitelter Rahmen um die ausgewählten Knoten; wer ihn zieht, verschiebt sie gemeinsam</translation>
    </message>
    <message>
        <source>Add &amp;Comment</source>
        <translation>&amp;Kommentar hinzufügen</translation>
    </message>
    <message>
        <source>Frame %1</source>
        <translation>Rahmen %1</translation>
    </message>
    <message>
        <source>Remove Reroute Point</source>
        <translation>Umlenkpunkt entfernen</translation>
    </message>
    <message>
        <source>Add Reroute Point</source>
        <translation>Umlenkpunkt hinzufügen</translation>
    </message>
    <message>
        <source>Edit Frame…</source>
        <translation>Rahmen bearbeiten…</translation>
    </message>
    <message>
        <source>Edit Comment…</source>
        <translation>Kommentar bearbeiten…</translation>
    </message>
    <message>
        <source>Frame Colour</source>
        <translation>Rahmenfarbe</translation>
    </message>
</context>
<context>
    <name>mg::ui::AnnotationDialog</name>
    <message>
        <source>Edit Frame</source>
        <translation>Rahmen bearbeiten</translation>
    </message>
    <message>
        <source>Edit Comment</source>
        <translation>Kommentar bearbeiten</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Titel:</translation>
    </message>
    <message>
        <source>Colour:</source>
        <translation>Farbe:</translation>
    </message>
    <message>
        <source>Markdown: **bold**, *italic*, - lists, # headings, [links](https://…)</source>
        <translation>Markdown: **fett**, *kursiv*, - Listen, # Überschriften, [Links](https://…)</translation>
    </message>
</context>
<context>
    <name>mg::ui::AnnotationLayer</name>
    <message>
        <source>Add reroute point</source>
        <translation>Umlenkpunkt hinzufügen</translation>
    </message>
    <message>
        <source>Remove reroute point</source>
        <translation>Umlenkpunkt entfernen</translation>
    </message>
</context>
<context>
    <name>mg::ui::AnnotationProperties</name>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>Markdown: **bold**, *italic*, - lists, # headings</source>
        <translation>Markdown: **fett**, *kursiv*, - Listen, # Überschriften</translation>
    </message>
    <message>
        <source>Shown on the canvas as Markdown; double-click the frame or comment to edit it with a preview.</source>
        <translation>Auf der Arbeitsfläche als Markdown dargestellt; Doppelklick auf Rahmen oder Kommentar bearbeitet ihn mit Vorschau.</translation>
    </message>
    <message>
        <source>Frame</source>
        <translation>Rahmen</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>Comment (Markdown)</source>
        <translation>Kommentar (Markdown)</translation>
    </message>
    <message>
        <source>Text (Markdown)</source>
        <translation>Text (Markdown)</translation>
    </message>
</context>
<context>
    <name>mg::ui::CompareView</name>
    <message>
        <source>Absolute</source>
        <translation>Absolut</translation>
    </message>
    <message>
        <source>Accuracy on each task</source>
        <translation>Genauigkeit auf jeder Aufgabe</translation>
    </message>
    <message>
        <source>Normalized</source>
        <translation>Normiert</translation>
    </message>
    <message>
        <source>Accuracy divided by the accuracy of the task&apos;s specialist</source>
        <translation>Genauigkeit geteilt durch die Genauigkeit des Spezialisten der Aufgabe</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>Perplexität</translation>
    </message>
    <message>
        <source>A language model&apos;s perplexity on each perplexity task (lower is better)</source>
        <translation>Die Perplexität eines Sprachmodells auf jeder Perplexitätsaufgabe (niedriger ist besser)</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>Mittelwert</translation>
    </message>
    <message>
        <source>perplexity (lower is better)</source>
        <translation>Perplexität (niedriger ist besser)</translation>
    </message>
    <message>
        <source>Per-task perplexity</source>
        <translation>Perplexität je Aufgabe</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Per-task accuracy</source>
        <translation>Genauigkeit je Aufgabe</translation>
    </message>
    <message>
        <source>accuracy ÷ specialist</source>
        <translation>Genauigkeit ÷ Spezialist</translation>
    </message>
    <message>
        <source>Normalized accuracy</source>
        <translation>Normierte Genauigkeit</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Mittelwert</translation>
    </message>
    <message>
        <source>Specialist: %1</source>
        <translation>Spezialist: %1</translation>
    </message>
    <message>
        <source>Specialist of %1: the reference of the normalized scores</source>
        <translation>Spezialist für %1: die Referenz der normierten Werte</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>nicht bewertet</translation>
    </message>
    <message>
        <source>perplexity %1</source>
        <translation>Perplexität %1</translation>
    </message>
    <message>
        <source>%1 of the specialist</source>
        <translation>%1 des Spezialisten</translation>
    </message>
    <message>
        <source>No scores</source>
        <translation>Keine Bewertungen</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) on %1 task(s); mean = average over the tasks a model was scored on.</source>
        <translation>
            <numerusform>%n Modell auf %1 Aufgabe(n); Mittelwert = Durchschnitt über die Aufgaben, auf denen ein Modell bewertet wurde.</numerusform>
            <numerusform>%n Modelle auf %1 Aufgabe(n); Mittelwert = Durchschnitt über die Aufgaben, auf denen ein Modell bewertet wurde.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Perplexity: exp of the mean negative log-likelihood per token of each task&apos;s texts; lower is better. %n model(s) on %1 task(s).</source>
        <translation>
            <numerusform>Perplexität: exp des mittleren negativen Log-Likelihood je Token der Texte jeder Aufgabe; niedriger ist besser. %n Modell auf %1 Aufgabe(n).</numerusform>
            <numerusform>Perplexität: exp des mittleren negativen Log-Likelihood je Token der Texte jeder Aufgabe; niedriger ist besser. %n Modelle auf %1 Aufgabe(n).</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>Accuracy ÷ the task&apos;s specialist: the model named after the task, else the best model shown on it.</source>
        <translation>Genauigkeit ÷ Spezialist der Aufgabe: das nach der Aufgabe benannte Modell, sonst das beste gezeigte Modell auf ihr.</translation>
    </message>
    <message>
        <source>Named: %1.</source>
        <translation>Benannt: %1.</translation>
    </message>
    <message>
        <source>Best shown: %1.</source>
        <translation>Bestes gezeigtes: %1.</translation>
    </message>
</context>
<context>
    <name>mg::ui::EmbeddingMapView</name>
    <message>
        <source>Which Embedding map node</source>
        <translation>Welcher Einbettungskarten-Knoten</translation>
    </message>
    <message>
        <source>What embeds the tasks</source>
        <translation>Womit die Aufgaben eingebettet werden</translation>
    </message>
    <message>
        <source>How the embeddings are drawn in 2-D</source>
        <translation>Wie die Einbettungen in 2-D gezeichnet werden</translation>
    </message>
    <message>
        <source>What the colours tell</source>
        <translation>Was die Farben zeigen</translation>
    </message>
    <message>
        <source>Colour by cluster</source>
        <translation>Nach Cluster färben</translation>
    </message>
    <message>
        <source>Colour by skill</source>
        <translation>Nach Fähigkeit färben</translation>
    </message>
    <message>
        <source>Merge picked</source>
        <translation>Auswahl zusammenführen</translation>
    </message>
    <message>
        <source>Each point is a specialist&apos;s task vector. </source>
        <translation>Jeder Punkt ist der Aufgabenvektor eines Spezialisten. </translation>
    </message>
    <message>
        <source>Each point is a task. </source>
        <translation>Jeder Punkt ist eine Aufgabe. </translation>
    </message>
    <message>
        <source>Close points are alike (%1 similarity). Hover a point for its nearest neighbours; click to select its node; Ctrl+click or drag a lasso to pick several</source>
        <translation>Nahe Punkte sind sich ähnlich (%1-Ähnlichkeit). Punkt überfahren zeigt seine nächsten Nachbarn; Klick wählt seinen Knoten; Strg+Klick oder ein Lasso wählt mehrere</translation>
    </message>
    <message>
        <source>, then Merge picked, or drag them onto a merge node in the graph.</source>
        <translation>, dann „Auswahl zusammenführen“, oder sie auf einen Zusammenführungsknoten im Graphen ziehen.</translation>
    </message>
    <message>
        <source>.</source>
        <translation>.</translation>
    </message>
    <message>
        <source>No map</source>
        <translation>Keine Karte</translation>
    </message>
    <message>
        <source>The points are tasks here; pick specialists on the parameter map to merge them</source>
        <translation>Die Punkte sind hier Aufgaben; Spezialisten zum Zusammenführen auf der Parameterkarte wählen</translation>
    </message>
    <message>
        <source>A picked point has no node in this graph (run the project again)</source>
        <translation>Ein gewählter Punkt hat keinen Knoten in diesem Graphen (Projekt erneut ausführen)</translation>
    </message>
    <message>
        <source>Pick two or more specialists (Ctrl+click or drag a lasso)</source>
        <translation>Zwei oder mehr Spezialisten wählen (Strg+Klick oder Lasso)</translation>
    </message>
    <message numerus="yes">
        <source>A task arithmetic merge of the %n picked specialist(s); the arrow offers other methods</source>
        <translation>
            <numerusform>Eine Task-Arithmetic-Zusammenführung des %n gewählten Spezialisten; der Pfeil bietet andere Methoden</numerusform>
            <numerusform>Eine Task-Arithmetic-Zusammenführung der %n gewählten Spezialisten; der Pfeil bietet andere Methoden</numerusform>
        </translation>
    </message>
    <message>
        <source>no map to export</source>
        <translation>keine Karte zum Exportieren</translation>
    </message>
</context>
<context>
    <name>mg::ui::GraphScene</name>
    <message>
        <source>%1 → %2, %3 (%4)</source>
        <translation>%1 → %2, %3 (%4)</translation>
    </message>
    <message>
        <source>an output connects to an input</source>
        <translation>ein Ausgang verbindet sich mit einem Eingang</translation>
    </message>
    <message>
        <source>drop the edge on an output of %1</source>
        <translation>die Verbindung auf einem Ausgang von %1 ablegen</translation>
    </message>
</context>
<context>
    <name>mg::ui::GraphView</name>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Ausschneiden</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>E&amp;infügen</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>&amp;Alles auswählen</translation>
    </message>
    <message>
        <source>Align &amp;Left</source>
        <translation>&amp;Links ausrichten</translation>
    </message>
    <message>
        <source>Align &amp;Top</source>
        <translation>&amp;Oben ausrichten</translation>
    </message>
    <message>
        <source>Auto-&amp;Layout</source>
        <translation>Automatisches &amp;Layout</translation>
    </message>
    <message>
        <source>Add &amp;Node…</source>
        <translation>&amp;Knoten hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Fit All</source>
        <translation>&amp;Alles zeigen</translation>
    </message>
    <message>
        <source>Fit &amp;Selection</source>
        <translation>&amp;Auswahl zeigen</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>S&amp;nap to Grid</source>
        <translation>Am &amp;Raster ausrichten</translation>
    </message>
    <message>
        <source>&amp;Minimap</source>
        <translation>&amp;Minikarte</translation>
    </message>
    <message>
        <source>&amp;Group</source>
        <translation>&amp;Gruppieren</translation>
    </message>
    <message>
        <source>U&amp;ngroup</source>
        <translation>Gruppierung &amp;aufheben</translation>
    </message>
    <message>
        <source>Open or Collapse Group</source>
        <translation>Gruppe öffnen oder einklappen</translation>
    </message>
    <message>
        <source>Rename Group…</source>
        <translation>Gruppe umbenennen…</translation>
    </message>
    <message>
        <source>Save Group to Library</source>
        <translation>Gruppe in der Bibliothek speichern</translation>
    </message>
    <message>
        <source>Group %1</source>
        <translation>Gruppe %1</translation>
    </message>
    <message>
        <source>Rename Group</source>
        <translation>Gruppe umbenennen</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Titel:</translation>
    </message>
    <message>
        <source>Saved the group %1 to the Library</source>
        <translation>Gruppe %1 in der Bibliothek gespeichert</translation>
    </message>
    <message>
        <source>Align left</source>
        <translation>Links ausrichten</translation>
    </message>
    <message>
        <source>Align top</source>
        <translation>Oben ausrichten</translation>
    </message>
</context>
<context>
    <name>mg::ui::GroupItem</name>
    <message numerus="yes">
        <source>%1 → %n input(s)</source>
        <translation>
            <numerusform>%1 → %n Eingang</numerusform>
            <numerusform>%1 → %n Eingänge</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Group of %n node(s): double-click to open it</source>
        <translation>
            <numerusform>Gruppe aus %n Knoten: zum Öffnen doppelklicken</numerusform>
            <numerusform>Gruppe aus %n Knoten: zum Öffnen doppelklicken</numerusform>
        </translation>
    </message>
    <message>
        <source>Double-click the title to collapse the group</source>
        <translation>Titel doppelklicken, um die Gruppe einzuklappen</translation>
    </message>
    <message numerus="yes">
        <source>group of %n node(s)</source>
        <translation>
            <numerusform>Gruppe aus %n Knoten</numerusform>
            <numerusform>Gruppe aus %n Knoten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mg::ui::HeatmapView</name>
    <message>
        <source>%1 on %2: %3</source>
        <translation>%1 auf %2: %3</translation>
    </message>
    <message>
        <source>Click a row to select its node.</source>
        <translation>Klick auf eine Zeile wählt ihren Knoten.</translation>
    </message>
    <message>
        <source>. Click a row to select its node.</source>
        <translation>. Klick auf eine Zeile wählt ihren Knoten.</translation>
    </message>
</context>
<context>
    <name>mg::ui::LibraryPanel</name>
    <message>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>adapter</source>
        <translation>Adapter</translation>
    </message>
    <message>
        <source>task data</source>
        <translation>Aufgabendaten</translation>
    </message>
    <message>
        <source>Filter node types and sources</source>
        <translation>Knotentypen und Quellen filtern</translation>
    </message>
    <message>
        <source>Node types</source>
        <translation>Knotentypen</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Cannot run in this version: %1&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;In dieser Version nicht ausführbar: %1&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Saved groups</source>
        <translation>Gespeicherte Gruppen</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Add Folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>Add a folder to scan for models, adapters and task data</source>
        <translation>Einen Ordner hinzufügen, der nach Modellen, Adaptern und Aufgabendaten durchsucht wird</translation>
    </message>
    <message>
        <source>Remove Folder</source>
        <translation>Ordner entfernen</translation>
    </message>
    <message>
        <source>Stop listing the selected folder (nothing is deleted)</source>
        <translation>Den gewählten Ordner nicht mehr auflisten (nichts wird gelöscht)</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Neu durchsuchen</translation>
    </message>
    <message>
        <source>Scan the folders again</source>
        <translation>Die Ordner erneut durchsuchen</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Add a folder to list the models, adapters and task data in it.</source>
        <translation>Einen Ordner hinzufügen, um die Modelle, Adapter und Aufgabendaten darin aufzulisten.</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Durchsuche…</translation>
    </message>
    <message>
        <source>nothing found</source>
        <translation>nichts gefunden</translation>
    </message>
    <message>
        <source>folder not found</source>
        <translation>Ordner nicht gefunden</translation>
    </message>
    <message>
        <source>1 source found</source>
        <translation>1 Quelle gefunden</translation>
    </message>
    <message>
        <source>%1 sources found</source>
        <translation>%1 Quellen gefunden</translation>
    </message>
    <message>
        <source>A saved group: drag it onto the canvas
%1</source>
        <translation>Eine gespeicherte Gruppe: auf die Arbeitsfläche ziehen
%1</translation>
    </message>
    <message>
        <source>Add a Library Folder</source>
        <translation>Bibliotheksordner hinzufügen</translation>
    </message>
    <message>
        <source>%1 as of commit %2
%3, %4
%5
Drag it onto the canvas to use this version.</source>
        <translation>%1 im Stand von Commit %2
%3, %4
%5
Auf die Arbeitsfläche ziehen, um diese Version zu verwenden.</translation>
    </message>
</context>
<context>
    <name>mg::ui::LogPanel</name>
    <message>
        <source>Debug and above</source>
        <translation>Debug und höher</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Info und höher</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Warnungen und Fehler</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
</context>
<context>
    <name>mg::ui::MainWindow</name>
    <message>
        <source>Engine idle</source>
        <translation>Engine bereit</translation>
    </message>
    <message>
        <source>Drag models and adapters from the library, or press Space to add a node</source>
        <translation>Modelle und Adapter aus der Bibliothek ziehen oder Leertaste drücken, um einen Knoten hinzuzufügen</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliothek</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Eigenschaften</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Scores not saved: %1</source>
        <translation>Bewertungen nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>The winner was not added: %1</source>
        <translation>Der Gewinner wurde nicht hinzugefügt: %1</translation>
    </message>
    <message>
        <source>Added &apos;%1&apos;: feed it to an Evaluate or Export node</source>
        <translation>„%1“ hinzugefügt: mit einem Auswerten- oder Exportieren-Knoten verbinden</translation>
    </message>
    <message>
        <source>That model&apos;s node (%1) is no longer in the project</source>
        <translation>Der Knoten dieses Modells (%1) ist nicht mehr im Projekt</translation>
    </message>
    <message>
        <source>Those nodes are no longer in the project</source>
        <translation>Diese Knoten sind nicht mehr im Projekt</translation>
    </message>
    <message>
        <source>No merge made: %1</source>
        <translation>Keine Zusammenführung erstellt: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n picked specialist(s) added; feed it to an Evaluate node to score it</source>
        <translation>
            <numerusform>%1 aus %n gewähltem Spezialisten hinzugefügt; zum Bewerten mit einem Auswerten-Knoten verbinden</numerusform>
            <numerusform>%1 aus %n gewählten Spezialisten hinzugefügt; zum Bewerten mit einem Auswerten-Knoten verbinden</numerusform>
        </translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>Ungespeicherte Arbeit wiederherstellen?</translation>
    </message>
    <message>
        <source>Merganser did not close normally last time. Restore the unsaved project%1?</source>
        <translation>Merganser wurde beim letzten Mal nicht normal beendet. Das ungespeicherte Projekt%1 wiederherstellen?</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <source>Cannot restore the project</source>
        <translation>Das Projekt kann nicht wiederhergestellt werden</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>The project has unsaved changes. Save them?</source>
        <translation>Das Projekt hat ungespeicherte Änderungen. Speichern?</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New Project</source>
        <translation>&amp;Neues Projekt</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Speichern &amp;unter…</translation>
    </message>
    <message>
        <source>&amp;Import mergekit YAML…</source>
        <translation>mergekit-YAML &amp;importieren…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>&amp;mergekit YAML…</source>
        <translation>&amp;mergekit-YAML…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <source>&amp;Run All</source>
        <translation>&amp;Alles ausführen</translation>
    </message>
    <message>
        <source>Run &amp;Selected</source>
        <translation>Auswahl aus&amp;führen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Ab&amp;brechen</translation>
    </message>
    <message>
        <source>Clear Cached &amp;Results</source>
        <translation>Zwischengespeicherte &amp;Ergebnisse löschen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;User Guide</source>
        <translation>&amp;Benutzerhandbuch</translation>
    </message>
    <message>
        <source>&amp;About Merganser</source>
        <translation>Ü&amp;ber Merganser</translation>
    </message>
    <message>
        <source>About Merganser</source>
        <translation>Über Merganser</translation>
    </message>
    <message>
        <source>&lt;p&gt;Merganser %1 — a workbench for composing models from a base model, fine-tunes and adapters.&lt;/p&gt;&lt;p&gt;Built on:&lt;br&gt;%2&lt;/p&gt;</source>
        <translation>&lt;p&gt;Merganser %1 — eine Werkbank, um Modelle aus einem Basismodell, Feinabstimmungen und Adaptern zusammenzusetzen.&lt;/p&gt;&lt;p&gt;Gebaut mit:&lt;br&gt;%2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>Das Projekt kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation>Das Projekt kann nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>Projekt speichern unter</translation>
    </message>
    <message>
        <source>Imported %1</source>
        <translation>%1 importiert</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message>
        <source>Import mergekit YAML</source>
        <translation>mergekit-YAML importieren</translation>
    </message>
    <message>
        <source>Cannot import the recipe</source>
        <translation>Das Rezept kann nicht importiert werden</translation>
    </message>
    <message>
        <source>Cannot export a recipe</source>
        <translation>Kein Rezept exportierbar</translation>
    </message>
    <message>
        <source>Select one merge node: its recipe is what the YAML file holds.</source>
        <translation>Einen Zusammenführungsknoten wählen: sein Rezept ist der Inhalt der YAML-Datei.</translation>
    </message>
    <message>
        <source>Export mergekit YAML</source>
        <translation>mergekit-YAML exportieren</translation>
    </message>
    <message>
        <source>Cannot export the recipe</source>
        <translation>Das Rezept kann nicht exportiert werden</translation>
    </message>
</context>
<context>
    <name>mg::ui::Minimap</name>
    <message>
        <source>Overview: click to move the view</source>
        <translation>Übersicht: klicken, um die Ansicht zu verschieben</translation>
    </message>
</context>
<context>
    <name>mg::ui::ParamEditor</name>
    <message>
        <source>one value, or one per input: 0.3, 0.5</source>
        <translation>ein Wert oder einer je Eingang: 0.3, 0.5</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose a File</source>
        <translation>Datei wählen</translation>
    </message>
    <message>
        <source>Choose a Folder</source>
        <translation>Ordner wählen</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>Speichern unter</translation>
    </message>
</context>
<context>
    <name>mg::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source> GB</source>
        <translation> GB</translation>
    </message>
    <message>
        <source>Disk space the engine may keep for cached results that are files (extracted adapters); beyond it the least recently used are deleted and re-run when needed. The last run&apos;s files are always kept.</source>
        <translation>Speicherplatz, den die Engine für zwischengespeicherte Ergebnisse in Dateien (extrahierte Adapter) belegen darf; darüber hinaus werden die am längsten nicht benutzten gelöscht und bei Bedarf neu berechnet. Die Dateien des letzten Laufs bleiben immer erhalten.</translation>
    </message>
    <message>
        <source>Cache size limit:</source>
        <translation>Cache-Größenlimit:</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <source>A new language applies when Merganser starts next.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von Merganser.</translation>
    </message>
</context>
<context>
    <name>mg::ui::ProjectSession</name>
    <message>
        <source>%1 takes no further %2 input</source>
        <translation>%1 nimmt keinen weiteren %2-Eingang</translation>
    </message>
    <message>
        <source>the project has no file yet: use Save As</source>
        <translation>das Projekt hat noch keine Datei: „Speichern unter“ verwenden</translation>
    </message>
    <message>
        <source>unknown node type &apos;%1&apos;</source>
        <translation>unbekannter Knotentyp „%1“</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>%1 hinzufügen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Drop %1 on %2</source>
        <translation>%1 auf %2 ablegen</translation>
    </message>
    <message numerus="yes">
        <source>Drop %n sources</source>
        <translation>
            <numerusform>%n Quelle ablegen</numerusform>
            <numerusform>%n Quellen ablegen</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing to connect</source>
        <translation>nichts zu verbinden</translation>
    </message>
    <message>
        <source>the new node has no free input of this type</source>
        <translation>der neue Knoten hat keinen freien Eingang dieses Typs</translation>
    </message>
    <message>
        <source>the new node has no output this input takes</source>
        <translation>der neue Knoten hat keinen Ausgang, den dieser Eingang annimmt</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>nothing to delete</source>
        <translation>nichts zu löschen</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n nodes</source>
        <translation>
            <numerusform>%n Knoten löschen</numerusform>
            <numerusform>%n Knoten löschen</numerusform>
        </translation>
    </message>
    <message>
        <source>Connect %1 to %2</source>
        <translation>%1 mit %2 verbinden</translation>
    </message>
    <message>
        <source>that input is not connected</source>
        <translation>dieser Eingang ist nicht verbunden</translation>
    </message>
    <message>
        <source>Disconnect %1</source>
        <translation>%1 trennen</translation>
    </message>
    <message>
        <source>Replace connection to %1</source>
        <translation>Verbindung zu %1 ersetzen</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <source>no node %1</source>
        <translation>kein Knoten %1</translation>
    </message>
    <message>
        <source>Set %1 of %2</source>
        <translation>%1 von %2 setzen</translation>
    </message>
    <message>
        <source>no parameter &apos;%1&apos; here</source>
        <translation>hier gibt es keinen Parameter „%1“</translation>
    </message>
    <message>
        <source>that input has no weight</source>
        <translation>dieser Eingang hat kein Gewicht</translation>
    </message>
    <message>
        <source>Set weight on %1</source>
        <translation>Gewicht an %1 setzen</translation>
    </message>
    <message>
        <source>a title cannot be empty</source>
        <translation>ein Titel darf nicht leer sein</translation>
    </message>
    <message>
        <source>Rename %1 to %2</source>
        <translation>%1 in %2 umbenennen</translation>
    </message>
    <message>
        <source>select the nodes to group first</source>
        <translation>zuerst die zu gruppierenden Knoten auswählen</translation>
    </message>
    <message>
        <source>a group needs a title</source>
        <translation>eine Gruppe braucht einen Titel</translation>
    </message>
    <message numerus="yes">
        <source>Group %n node(s)</source>
        <translation>
            <numerusform>%n Knoten gruppieren</numerusform>
            <numerusform>%n Knoten gruppieren</numerusform>
        </translation>
    </message>
    <message>
        <source>no group %1</source>
        <translation>keine Gruppe %1</translation>
    </message>
    <message>
        <source>Ungroup</source>
        <translation>Gruppierung aufheben</translation>
    </message>
    <message>
        <source>Collapse group</source>
        <translation>Gruppe einklappen</translation>
    </message>
    <message>
        <source>Open group</source>
        <translation>Gruppe öffnen</translation>
    </message>
    <message>
        <source>Rename group to %1</source>
        <translation>Gruppe in %1 umbenennen</translation>
    </message>
    <message>
        <source>%1: cannot write the group (%2)</source>
        <translation>%1: die Gruppe kann nicht geschrieben werden (%2)</translation>
    </message>
    <message>
        <source>%1: cannot read the group (%2)</source>
        <translation>%1: die Gruppe kann nicht gelesen werden (%2)</translation>
    </message>
    <message>
        <source>%1: not a saved group (%2)</source>
        <translation>%1: keine gespeicherte Gruppe (%2)</translation>
    </message>
    <message>
        <source>Move node</source>
        <translation>Knoten verschieben</translation>
    </message>
    <message>
        <source>Move nodes</source>
        <translation>Knoten verschieben</translation>
    </message>
    <message>
        <source>Auto-layout</source>
        <translation>Automatisches Layout</translation>
    </message>
    <message>
        <source>the clipboard holds no nodes (%1)</source>
        <translation>die Zwischenablage enthält keine Knoten (%1)</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>nothing to paste</source>
        <translation>nichts einzufügen</translation>
    </message>
    <message>
        <source>Add frame</source>
        <translation>Rahmen hinzufügen</translation>
    </message>
    <message>
        <source>Add comment</source>
        <translation>Kommentar hinzufügen</translation>
    </message>
    <message>
        <source>there is no frame %1</source>
        <translation>es gibt keinen Rahmen %1</translation>
    </message>
    <message>
        <source>Edit frame</source>
        <translation>Rahmen bearbeiten</translation>
    </message>
    <message>
        <source>there is no comment %1</source>
        <translation>es gibt keinen Kommentar %1</translation>
    </message>
    <message>
        <source>Edit comment</source>
        <translation>Kommentar bearbeiten</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <source>%1 is already fed by them</source>
        <translation>%1 wird bereits von ihnen gespeist</translation>
    </message>
    <message numerus="yes">
        <source>Drop %n node(s) on %1</source>
        <translation>
            <numerusform>%n Knoten auf %1 ablegen</numerusform>
            <numerusform>%n Knoten auf %1 ablegen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Add %1 of %n node(s)</source>
        <translation>
            <numerusform>%1 aus %n Knoten hinzufügen</numerusform>
            <numerusform>%1 aus %n Knoten hinzufügen</numerusform>
        </translation>
    </message>
    <message>
        <source>the Search node or the merge it searched is no longer in the project</source>
        <translation>der Suchen-Knoten oder die von ihm durchsuchte Zusammenführung ist nicht mehr im Projekt</translation>
    </message>
    <message>
        <source>the Search node or its merge changed since the search ran: run it again</source>
        <translation>der Suchen-Knoten oder seine Zusammenführung hat sich seit der Suche geändert: erneut ausführen</translation>
    </message>
    <message>
        <source>Add the searched %1</source>
        <translation>Gesuchtes %1 hinzufügen</translation>
    </message>
</context>
<context>
    <name>mg::ui::PropertiesPanel</name>
    <message>
        <source>Range %1.</source>
        <translation>Bereich %1.</translation>
    </message>
    <message>
        <source>Select a node to see and edit its properties.</source>
        <translation>Einen Knoten auswählen, um seine Eigenschaften zu sehen und zu bearbeiten.</translation>
    </message>
    <message>
        <source>Unknown node type “%1”</source>
        <translation>Unbekannter Knotentyp „%1“</translation>
    </message>
    <message>
        <source>This version of Merganser does not know this type: the node is kept as it is and its parameters cannot be edited.</source>
        <translation>Diese Version von Merganser kennt diesen Typ nicht: der Knoten bleibt, wie er ist, und seine Parameter lassen sich nicht bearbeiten.</translation>
    </message>
    <message>
        <source>The name shown on the node</source>
        <translation>Der Name, der auf dem Knoten steht</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Input weights</source>
        <translation>Eingangsgewichte</translation>
    </message>
    <message>
        <source>The weight of the model on input &apos;%1&apos; in the merge</source>
        <translation>Das Gewicht des Modells an Eingang „%1“ in der Zusammenführung</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
</context>
<context>
    <name>mg::ui::QuickAddPalette</name>
    <message>
        <source>Add node: type to search</source>
        <translation>Knoten hinzufügen: zum Suchen tippen</translation>
    </message>
    <message>
        <source>%1  —  %2</source>
        <translation>%1  —  %2</translation>
    </message>
</context>
<context>
    <name>mg::ui::ResultsPanel</name>
    <message>
        <source>No results yet. Connect a model and a Tasks source to an Evaluate node (several Evaluate nodes to a Compare node, or a Sweep over a parameter), or add an Embedding map, a Router, a Merge gain or a Fine-tune node, and run the project.</source>
        <translation>Noch keine Ergebnisse. Ein Modell und eine Aufgaben-Quelle mit einem Auswerten-Knoten verbinden (mehrere Auswerten-Knoten mit einem Vergleichen-Knoten oder einen Parameterscan über einen Parameter) oder eine Einbettungskarte, einen Router, einen Zusammenführungsgewinn- oder Feinabstimmungs-Knoten hinzufügen und das Projekt ausführen.</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Parameterscan</translation>
    </message>
    <message>
        <source>Interference</source>
        <translation>Interferenz</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>Routing</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Merge gain</source>
        <translation>Zusammenführungsgewinn</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
</context>
<context>
    <name>mg::ui::RunController</name>
    <message>
        <source>Select the nodes to run first</source>
        <translation>Zuerst die auszuführenden Knoten auswählen</translation>
    </message>
    <message>
        <source>Nothing to run: add an Export (or another sink) node</source>
        <translation>Nichts auszuführen: einen Exportieren-Knoten (oder ein anderes Ziel) hinzufügen</translation>
    </message>
    <message>
        <source>Engine running</source>
        <translation>Engine läuft</translation>
    </message>
    <message>
        <source>Engine cancelling…</source>
        <translation>Engine bricht ab…</translation>
    </message>
    <message>
        <source>Cached results cleared: the next run runs every node</source>
        <translation>Zwischengespeicherte Ergebnisse gelöscht: der nächste Lauf führt jeden Knoten aus</translation>
    </message>
    <message>
        <source>Running &apos;%1&apos; %2%</source>
        <translation>„%1“ läuft: %2&#xa0;%</translation>
    </message>
    <message>
        <source>Run failed: %1</source>
        <translation>Lauf fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Run cancelled</source>
        <translation>Lauf abgebrochen</translation>
    </message>
    <message numerus="yes">
        <source>Run failed: %n node(s) failed</source>
        <translation>
            <numerusform>Lauf fehlgeschlagen: %n Knoten fehlgeschlagen</numerusform>
            <numerusform>Lauf fehlgeschlagen: %n Knoten fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Run finished: %1 ran, %2 cached</source>
        <translation>Lauf beendet: %1 ausgeführt, %2 aus dem Cache</translation>
    </message>
    <message>
        <source>Out of date: an edit changed this node or its inputs. Run to update.</source>
        <translation>Veraltet: eine Änderung betraf diesen Knoten oder seine Eingänge. Zum Aktualisieren ausführen.</translation>
    </message>
</context>
<context>
    <name>mg::ui::ScatterPlotView</name>
    <message>
        <source>least-squares line, r = %1</source>
        <translation>Ausgleichsgerade, r = %1</translation>
    </message>
    <message>
        <source>least-squares line</source>
        <translation>Ausgleichsgerade</translation>
    </message>
    <message>
        <source>. Click a point to select its nodes.</source>
        <translation>. Klick auf einen Punkt wählt seine Knoten.</translation>
    </message>
    <message>
        <source>no plot to export</source>
        <translation>kein Diagramm zum Exportieren</translation>
    </message>
</context>
<context>
    <name>mg::ui::SearchView</name>
    <message>
        <source>Add the winner to the graph</source>
        <translation>Den Gewinner zum Graphen hinzufügen</translation>
    </message>
    <message>
        <source>A merge node beside the searched one, with the winning coefficients, ready to evaluate or export</source>
        <translation>Ein Zusammenführungsknoten neben dem durchsuchten, mit den siegreichen Koeffizienten, bereit zum Auswerten oder Exportieren</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>Kandidat</translation>
    </message>
    <message>
        <source>entropy</source>
        <translation>Entropie</translation>
    </message>
    <message>
        <source>best so far</source>
        <translation>bisher bester</translation>
    </message>
    <message>
        <source>Run a Search node to see its candidates here</source>
        <translation>Einen Suchen-Knoten ausführen, um seine Kandidaten hier zu sehen</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>Winner: weights %1 — validation %2, test %3 (test examples scored once, for the winner only)</source>
        <translation>Gewinner: Gewichte %1 — Validierung %2, Test %3 (Testbeispiele einmal bewertet, nur für den Gewinner)</translation>
    </message>
</context>
<context>
    <name>mg::ui::SweepView</name>
    <message>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>No sweep</source>
        <translation>Kein Parameterscan</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>Mittelwert</translation>
    </message>
    <message>
        <source>Accuracy over %1</source>
        <translation>Genauigkeit über %1</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Mittelwert</translation>
    </message>
    <message numerus="yes">
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n Punkt</numerusform>
            <numerusform>%n Punkte</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n point(s); best mean %1 at %2 = %3</source>
        <translation>
            <numerusform>%n Punkt; bester Mittelwert %1 bei %2 = %3</numerusform>
            <numerusform>%n Punkte; bester Mittelwert %1 bei %2 = %3</numerusform>
        </translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>nicht bewertet</translation>
    </message>
    <message>
        <source>%1: there is no sweep to export</source>
        <translation>%1: es gibt keinen Parameterscan zum Exportieren</translation>
    </message>
</context>
<context>
    <name>mg::ui::TrainingView</name>
    <message>
        <source>Run a Fine-tune node to see its training curve here</source>
        <translation>Einen Feinabstimmungs-Knoten ausführen, um seine Trainingskurve hier zu sehen</translation>
    </message>
    <message>
        <source>Training loss and validation accuracy</source>
        <translation>Trainingsverlust und Validierungsgenauigkeit</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <source>validation %</source>
        <translation>Validierung %</translation>
    </message>
    <message>
        <source> validation</source>
        <translation> Validierung</translation>
    </message>
    <message>
        <source> loss</source>
        <translation> Verlust</translation>
    </message>
    <message>
        <source>%1: best validation %2 at step %3</source>
        <translation>%1: beste Validierung %2 bei Schritt %3</translation>
    </message>
</context>
<context>
    <name>mg::ui::UserGuideWindow</name>
    <message>
        <source>Merganser User Guide</source>
        <translation>Merganser-Benutzerhandbuch</translation>
    </message>
    <message>
        <source>The user guide is not installed (docs/guide.md in the sources).</source>
        <translation>Das Benutzerhandbuch ist nicht installiert (docs/guide.md in den Quellen).</translation>
    </message>
    <message>
        <source>The guide&apos;s pictures have not been made: run docs/make_screenshots.sh (it needs the demo zoo, which packaging/dev.sh run trains).</source>
        <translation>Die Bilder des Handbuchs wurden noch nicht erzeugt: docs/make_screenshots.sh ausführen (es braucht den Demo-Zoo, den packaging/dev.sh run trainiert).</translation>
    </message>
</context>
</TS>
